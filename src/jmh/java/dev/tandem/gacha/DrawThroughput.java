package dev.tandem.gacha;

import dev.tandem.companion.CharacterView;
import dev.tandem.companion.Profile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Durable ten-pulls per second ({@link Draws#draw}: gems spend, cards, shards, pity and nonce in one committed
 * transaction) on SQLite and on PostgreSQL side by side: both Tandems run in this JVM and take turns, round by
 * round, so noise on the machine falls on both; the medians of the rounds are reported. Each client thread draws
 * for its own person (its own wallet); the database's own durability settings apply (SQLite: WAL with
 * {@code synchronous=NORMAL}, which keeps commits through a process crash but not through a power cut;
 * PostgreSQL: as the server is configured, by default {@code synchronous_commit=on}).
 *
 * <pre>DrawThroughput [threads=16] [seconds=5] [rounds=3] [out=bench/out/draws.txt]</pre>
 */
public final class DrawThroughput {

    private DrawThroughput() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : 16;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        Path out = Path.of(args.length > 3 ? args[3] : "bench/out/draws.txt");
        Map<String, Setup> setups = new LinkedHashMap<>();
        setups.put("sqlite", Setup.of("sqlite", threads));
        try {
            setups.put("postgresql", Setup.of("postgresql", threads));
        } catch (RuntimeException e) {
            System.err.println("PostgreSQL skipped: " + e.getMessage());
        }
        Map<String, List<Double>> rates = new LinkedHashMap<>();
        StringBuilder log = new StringBuilder();
        try {
            for (Setup s : setups.values()) {
                s.run(Math.max(1, seconds / 2)); // warm-up: JIT, pools, caches
            }
            for (int round = 1; round <= rounds; round++) {
                for (Map.Entry<String, Setup> e : setups.entrySet()) {
                    double rate = e.getValue().run(seconds);
                    rates.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(rate);
                    String line = String.format(Locale.ROOT, "round %d %-10s %8.1f ten-pulls/s", round, e.getKey(), rate);
                    System.out.println(line);
                    log.append(line).append('\n');
                }
            }
        } finally {
            setups.values().forEach(Setup::close);
        }
        StringBuilder report = new StringBuilder();
        report.append("# DrawThroughput: ").append(threads).append(" client threads, one wallet each, ").append(seconds)
                .append(" s rounds, ").append(rounds).append(" rounds; durable ten-pulls per second\n");
        report.append("# machine: ").append(Runtime.getRuntime().availableProcessors()).append(" cores, Java ")
                .append(Runtime.version()).append(", load average ").append(loadAverage()).append('\n');
        report.append(log);
        rates.forEach((db, r) -> report.append(String.format(Locale.ROOT, "median %-10s %8.1f ten-pulls/s (%s)%n",
                db, median(r), r.stream().map(x -> String.format(Locale.ROOT, "%.1f", x)).toList())));
        if (rates.size() == 2) {
            report.append(String.format(Locale.ROOT, "ratio postgresql/sqlite %.2f%n",
                    median(rates.get("postgresql")) / median(rates.get("sqlite"))));
        }
        System.out.print(report);
        Files.createDirectories(out.toAbsolutePath().getParent());
        Files.writeString(out, report);
    }

    static double median(List<Double> values) {
        double[] v = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }

    static String loadAverage() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
        } catch (IOException e) {
            return "unknown";
        }
    }

    /** One Tandem with a banner and one funded person per client thread. */
    record Setup(GachaWorld world, Banner banner, List<Profile> people, AtomicLong keys) implements AutoCloseable {

        static Setup of(String database, int threads) {
            GachaWorld w = GachaWorld.on(database);
            Profile creator = w.person(30);
            CharacterView c = w.character(creator, "Bench");
            Banner banner = w.banner(w.set(creator, c), "Bench");
            List<Profile> people = new ArrayList<>();
            for (int i = 0; i < threads; i++) {
                Profile p = w.person(30);
                w.gems(p, 900_000_000L);
                people.add(p);
            }
            return new Setup(w, banner, people, new AtomicLong());
        }

        /** Ten-pulls for {@code seconds}, one thread per person; returns the committed draws per second. */
        double run(int seconds) throws Exception {
            AtomicBoolean stop = new AtomicBoolean();
            AtomicLong done = new AtomicLong();
            List<Future<?>> all = new ArrayList<>();
            long start = System.nanoTime();
            try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
                for (Profile p : people) {
                    all.add(pool.submit(() -> {
                        while (!stop.get()) {
                            world.draws.draw(p.personId(), banner.id(), 10, "bench-" + keys.incrementAndGet(), null);
                            done.incrementAndGet();
                        }
                        return null;
                    }));
                }
                Thread.sleep(seconds * 1000L);
                stop.set(true);
                for (Future<?> f : all) {
                    f.get();
                }
            }
            return done.get() / ((System.nanoTime() - start) / 1e9);
        }

        @Override
        public void close() {
            world.close();
        }
    }
}
