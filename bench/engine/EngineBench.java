/*
 * Local engine benchmark, side by side in one run:
 *  - the engine's own decode rate: llama.cpp driven directly through de.kherud:llama in this process;
 *  - the tokens/s a client receives from Tandem over HTTP streaming, same model, same settings;
 *  - the aggregate tokens/s of 4 concurrent streams through Tandem against 1, and of 4 concurrent answers
 *    of the engine driven directly against 1 (what llama.cpp's batching gives on this machine).
 * ignore_eos keeps the model generating to the token limit, in both paths alike.
 *
 * Run through bench/local-engine.sh, which starts Tandem and passes: <model.gguf> <tandem base url> <key>
 *   <tokens> <threads> <context per slot> <parallel> <rounds>
 */
import de.kherud.llama.InferenceParameters;
import de.kherud.llama.LlamaModel;
import de.kherud.llama.LlamaOutput;
import de.kherud.llama.ModelParameters;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

public class EngineBench {

    static final String PROMPT = "User: Once upon a time\nAssistant:";

    public static void main(String[] a) throws Exception {
        String model = a[0], url = a[1], key = a[2];
        int tokens = Integer.parseInt(a[3]), threads = Integer.parseInt(a[4]), ctx = Integer.parseInt(a[5]);
        int parallel = Integer.parseInt(a[6]), rounds = Integer.parseInt(a[7]);
        HttpClient http = HttpClient.newHttpClient();
        List<Double> direct = new ArrayList<>(), viaHttp = new ArrayList<>(), one = new ArrayList<>(), four = new ArrayList<>();
        List<Double> directFour = new ArrayList<>();
        for (int r = 0; r < rounds; r++) {
            double[] d = directRates(model, tokens, threads, ctx, parallel);
            direct.add(d[0]);
            directFour.add(d[1] / d[2]);
            viaHttp.add(streamRate(http, url, key, tokens)[0]);
            one.add(aggregate(http, url, key, tokens, 1));
            four.add(aggregate(http, url, key, tokens, 4));
            System.out.printf(Locale.ROOT, "round %d: direct %.0f tok/s, http stream %.0f tok/s, 1 stream %.0f, 4 streams %.0f tok/s%n",
                    r + 1, direct.getLast(), viaHttp.getLast(), one.getLast(), four.getLast());
        }
        double d = median(direct), h = median(viaHttp), o = median(one), f = median(four);
        System.out.printf(Locale.ROOT, "RESULT direct_tok_s=%.0f http_tok_s=%.0f http_over_direct=%.2f one_stream_tok_s=%.0f "
                + "four_streams_tok_s=%.0f four_over_one=%.2f direct_four_over_one=%.2f%n", d, h, h / d, o, f, f / o,
                median(directFour));
        System.exit(0); // llama.cpp's worker thread would keep the JVM alive
    }

    /**
     * In this process, on one freshly loaded model: {decode tokens/s of one answer (first token to last), then the
     * aggregate tokens/s of 1 and of 4 concurrent answers over their wall time} -- the engine's own figures.
     */
    static double[] directRates(String model, int tokens, int threads, int ctx, int parallel) throws Exception {
        ModelParameters p = new ModelParameters().setModel(model).setCtxSize(ctx * parallel).setParallel(parallel)
                .setThreads(threads).setThreadsBatch(threads).disableLog();
        try (LlamaModel m = new LlamaModel(p)) {
            double[] first = generate(m, tokens);
            double decode = (first[0] - 2) / first[1];
            double oneWall = directAggregate(m, tokens, 1);
            double fourWall = directAggregate(m, tokens, 4);
            return new double[] {decode, fourWall, oneWall};
        }
    }

    /** {tokens, seconds from the first token to the last} of one answer. */
    static double[] generate(LlamaModel m, int tokens) {
        InferenceParameters ip = new InferenceParameters(PROMPT).setNPredict(tokens).setTemperature(0.8f)
                .setIgnoreEos(true);
        long first = 0;
        long last = 0;
        int n = 0;
        for (LlamaOutput o : m.generate(ip)) {
            long now = System.nanoTime();
            if (n == 0) {
                first = now;
            }
            last = now;
            n++;
        }
        return new double[] {n, (last - first) / 1e9};
    }

    static double directAggregate(LlamaModel m, int tokens, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Callable<double[]>> jobs = Collections.nCopies(n, () -> generate(m, tokens));
        long start = System.nanoTime();
        double total = 0;
        for (Future<double[]> f : pool.invokeAll(jobs)) {
            total += f.get()[0] - 1;
        }
        pool.shutdown();
        return total / ((System.nanoTime() - start) / 1e9);
    }

    /** {tokens/s between the first and the last content chunk, tokens} of one streamed answer from Tandem. */
    static double[] streamRate(HttpClient http, String url, String key, int tokens) throws Exception {
        String body = "{\"model\":\"bench-local\",\"max_tokens\":" + tokens + ",\"stream\":true,"
                + "\"stream_options\":{\"include_usage\":true},\"temperature\":0.8,"
                + "\"ignore_eos\":true,\"messages\":[{\"role\":\"user\",\"content\":\"Once upon a time\"}]}";
        HttpResponse<java.io.InputStream> r = http.send(HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                .header("authorization", "Bearer " + key).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        long first = 0;
        long last = 0;
        int chunks = 0;
        try (BufferedReader in = new BufferedReader(new InputStreamReader(r.body(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (line.startsWith("data: {") && line.contains("\"content\":\"") && !line.contains("\"content\":\"\"")) {
                    long now = System.nanoTime();
                    if (chunks == 0) {
                        first = now;
                    }
                    last = now;
                    chunks++;
                }
            }
        }
        return new double[] {(chunks - 1) / ((last - first) / 1e9), chunks};
    }

    /** Aggregate tokens/s of {@code n} concurrent streams: all tokens over the wall time of the whole batch. */
    static double aggregate(HttpClient http, String url, String key, int tokens, int n) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n);
        List<Callable<double[]>> jobs = Collections.nCopies(n, () -> streamRate(http, url, key, tokens));
        long start = System.nanoTime();
        double total = 0;
        for (Future<double[]> f : pool.invokeAll(jobs)) {
            total += f.get()[1];
        }
        pool.shutdown();
        return total / ((System.nanoTime() - start) / 1e9);
    }

    static double median(List<Double> xs) {
        List<Double> s = new ArrayList<>(xs);
        Collections.sort(s);
        int m = s.size() / 2;
        return s.size() % 2 == 1 ? s.get(m) : (s.get(m - 1) + s.get(m)) / 2;
    }
}
