package dev.tandem.companion.memory;

/**
 * Turns a text into a vector of {@value #DIMENSION} floats whose length is 1, so that a dot product of two of them
 * is their cosine similarity. The same text always gives the same vector. Implementations are thread-safe.
 */
public interface Embedder {

    /** The length of every vector. */
    int DIMENSION = 384;

    /**
     * @param text any text; what is past the model's window (256 word pieces for MiniLM) is not read
     * @return a new array of {@link #DIMENSION} floats, normalized to length 1
     */
    float[] embed(String text);
}
