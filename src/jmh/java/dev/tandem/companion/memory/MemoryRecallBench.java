package dev.tandem.companion.memory;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.flywaydb.core.Flyway;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * {@link ChatMemory#recall} on one SQLite chat of 10,000 memories, the query's embedding included, beside the
 * query's embedding alone; SampleTime, so that JMH prints percentiles. The memories are 10,000 distinct sentences
 * made from templates (who, what, where, when), each embedded for real by MiniLM once in the trial's setup (about
 * 10 s), inserted in batches as facts, plus the facts of a real message observed through {@link ChatMemory#observe}. Every
 * call embeds a different query. The system clock is used, so the 30 s cache check runs as in production.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class MemoryRecallBench {

    static final int MEMORIES = 10_000;
    static final String CHAT = "cht_bench";

    private static final String[] WHO = {"{{user}}", "{{user}}'s sister", "{{user}}'s best friend",
        "{{user}}'s father", "{{user}}'s neighbour", "{{user}}'s boss", "{{user}}'s grandmother", "{{user}}'s cousin"};
    private static final String[] WHAT = {"loves hiking", "plays the piano", "works as a nurse", "grows tomatoes",
        "collects old coins", "studies marine biology", "bakes sourdough bread", "runs marathons", "paints watercolours",
        "repairs vintage bikes", "teaches yoga", "writes poetry", "keeps bees", "sings in a choir", "builds drones",
        "speaks fluent Japanese", "volunteers at a shelter", "climbs in the gym", "brews beer", "knits scarves",
        "fixes old radios", "learns the violin", "cooks Thai curries", "restores furniture", "swims in the sea"};
    private static final String[] WHERE = {"in Leeds", "in Paris", "near the coast", "in a small village",
        "in the city centre", "at the weekend club", "in the mountains", "by the river", "at home", "in Berlin"};
    private static final String[] WHEN = {"every Sunday", "since childhood", "after work", "twice a week",
        "in the summer", "on rainy days", "most evenings", "since last year", "every morning", "during holidays"};
    private static final String[] ASK = {"what does my sister do?", "do I like hiking?", "where does my friend live?",
        "what is my job?", "what did my father do at the weekend?", "who plays music in my family?",
        "what are my hobbies?", "does anyone I know cook?", "what do I do on Sundays?", "who speaks Japanese?"};

    private HikariDataSource dataSource;
    private Path dir;
    private ChatMemory memory;
    private Embedder embedder;
    private List<String> queries;
    private int next;
    private dev.tandem.companion.CharacterCard card;
    private List<dev.tandem.companion.PromptBuilder.Turn> history;
    private final java.util.SplittableRandom random = new java.util.SplittableRandom(3);

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        dir = Files.createTempDirectory("tandem-memory-bench-");
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl("jdbc:sqlite:" + dir.resolve("tandem.db")
                + "?journal_mode=WAL&synchronous=NORMAL&busy_timeout=10000&foreign_keys=true");
        config.setMaximumPoolSize(2);
        dataSource = new HikariDataSource(config);
        Flyway.configure().dataSource(dataSource).locations("classpath:db/migration").load().migrate();
        JdbcClient jdbc = JdbcClient.create(dataSource);
        embedder = new MiniLmEmbedder();
        Clock clock = Clock.systemUTC();
        memory = new ChatMemory(jdbc, embedder, clock);

        long started = System.nanoTime();
        MemoryRows rows = new MemoryRows(jdbc);
        List<MemoryRows.Row> batch = new ArrayList<>();
        long at = clock.millis() - MEMORIES;
        for (int i = 0; i < MEMORIES; i++) {
            String text = WHO[i % WHO.length] + " " + WHAT[(i / WHO.length) % WHAT.length] + " "
                    + WHERE[(i / (WHO.length * WHAT.length)) % WHERE.length] + " "
                    + WHEN[(i / (WHO.length * WHAT.length * WHERE.length)) % WHEN.length];
            batch.add(new MemoryRows.Row(new Memory("mem_bench_" + i, CHAT, "psn_bench", Memory.Kind.FACT, text,
                    i % 2_000 == 0, null, at + i, at + i), embedder.embed(ChatMemory.keyText(text))));
            if (batch.size() == 500) {
                rows.insert(batch);
                batch.clear();
            }
        }
        memory.observe(CHAT, "psn_bench", "msg_1", "My dog is called Biscuit. I work as a nurse in Leeds.");
        System.out.printf("%n# setup: %d memories embedded and inserted in %.1f s%n", memory.list(CHAT).size(),
                (System.nanoTime() - started) / 1e9);
        started = System.nanoTime();
        int first = memory.recall(CHAT, "what is my dog called?", 5).size();
        System.out.printf("# first recall (loads the chat from SQLite): %.1f ms, %d memories returned%n",
                (System.nanoTime() - started) / 1e6, first);

        card = dev.tandem.companion.CharacterCards.read(Files.readAllBytes(Path.of(
                "../shared/fixtures/cards/seraphina.png")));
        history = new ArrayList<>();
        for (int i = 0; i < 40; i++) {
            history.add(new dev.tandem.companion.PromptBuilder.Turn(i % 2 == 0 ? "user" : "assistant",
                    "A line of the chat about the forest and the glade, number " + i + ", long enough to count."));
        }
        Random random = new Random(7);
        queries = new ArrayList<>();
        for (int i = 0; i < 4_096; i++) { // a different text each call: no embedding is ever reused
            queries.add(ASK[random.nextInt(ASK.length)] + " (" + i + ")");
        }
    }

    private String nextQuery() {
        next = (next + 1) % queries.size();
        return queries.get(next);
    }

    @Benchmark
    public List<Recalled> recall() {
        return memory.recall(CHAT, nextQuery(), 5);
    }

    /**
     * What a reply needs before the model is called: the turn's memories ({@link ChatMemory#recallForTurn}, as the
     * app recalls them) and the whole prompt assembled within the budget from a real SillyTavern card (Seraphina,
     * its lorebook scanned) and 40 turns of history, tokens estimated as the app does.
     */
    @Benchmark
    public dev.tandem.companion.PromptBuilder.Prompt promptWithRecall() {
        String turn = "Do you remember my dog? " + nextQuery();
        List<String> remembered = memory.recallForTurn(CHAT, turn, 6).stream().map(r -> r.memory().content())
                .toList();
        List<dev.tandem.companion.PromptBuilder.Turn> turns = new ArrayList<>(history);
        turns.add(new dev.tandem.companion.PromptBuilder.Turn("user", turn));
        return dev.tandem.companion.PromptBuilder.build(card, new dev.tandem.companion.PromptBuilder.Persona("Pat",
                ""), turns, null, remembered, 8192, 200, t -> t.length() / 3 + 1, "Write {{char}}'s next reply.",
                random);
    }

    /**
     * A message that updates a fact ({@link ChatMemory#observe}): its fact embedded, the 10,000 facts searched for
     * the older one about the same thing, the new one written and the older one deleted (SQLite, durable).
     */
    @Benchmark
    public List<Memory> observeUpdate() {
        next = (next + 1) % queries.size();
        return memory.observe(CHAT, "psn_bench", "msg_" + next, "I live in house number " + next + " now.");
    }

    /** The same with a fact that only adds (no slot, so no search for an older one): the baseline of the above. */
    @Benchmark
    public List<Memory> observeNew() {
        next = (next + 1) % queries.size();
        return memory.observe(CHAT, "psn_bench", "msg_" + next, "I have a bike with the number " + next + ".");
    }

    @Benchmark
    public float[] embedQueryOnly() {
        return embedder.embed(nextQuery());
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        dataSource.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}
