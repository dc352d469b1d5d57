package dev.tandem.companion.memory;

import dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * all-MiniLM-L6-v2, quantized, run in process by ONNX Runtime: the model ships inside a Maven jar, so it works
 * offline. It is loaded on the first {@link #embed} (about half a second) and kept; ONNX sessions and the
 * tokenizer are safe to share between threads. A text is embedded in the calling thread.
 */
@Component
final class MiniLmEmbedder implements Embedder {

    private volatile @Nullable AllMiniLmL6V2QuantizedEmbeddingModel model;

    @Override
    public float[] embed(String text) {
        float[] v = model().embed(text).content().vector();
        if (v.length != DIMENSION) {
            throw new IllegalStateException("all-MiniLM-L6-v2 gave " + v.length + " dimensions, expected " + DIMENSION);
        }
        return Vectors.normalized(v); // the model normalizes already; this keeps the contract if that ever changes
    }

    private AllMiniLmL6V2QuantizedEmbeddingModel model() {
        AllMiniLmL6V2QuantizedEmbeddingModel m = model;
        if (m == null) {
            synchronized (this) {
                m = model;
                if (m == null) {
                    // Runnable::run: one text at a time is embedded in the caller's thread, never in a pool of its own
                    m = new AllMiniLmL6V2QuantizedEmbeddingModel(Runnable::run);
                    model = m;
                }
            }
        }
        return m;
    }
}
