package dev.tandem.companion.memory;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/** Vector arithmetic and the stored form of an embedding: {@value Embedder#DIMENSION} float32s, little-endian. */
final class Vectors {

    static final int BYTES = Embedder.DIMENSION * Float.BYTES;

    private Vectors() {
    }

    static float[] normalized(float[] v) {
        double sum = 0;
        for (float f : v) {
            sum += f * f;
        }
        if (sum == 0) {
            return v.clone();
        }
        float inverse = (float) (1 / Math.sqrt(sum));
        float[] out = new float[v.length];
        for (int i = 0; i < v.length; i++) {
            out[i] = v[i] * inverse;
        }
        return out;
    }

    /** The dot product of {@code q} with the row of {@code matrix} that starts at {@code offset}. */
    static float dot(float[] q, float[] matrix, int offset) {
        return dot(q, 0, matrix, offset);
    }

    /** The dot product of the {@value Embedder#DIMENSION} floats of {@code a} and {@code b} from the offsets. */
    static float dot(float[] a, int aOffset, float[] b, int bOffset) {
        // four accumulators break the dependency chain of one running sum: about 3x faster than the plain loop
        float s0 = 0;
        float s1 = 0;
        float s2 = 0;
        float s3 = 0;
        for (int i = 0; i < Embedder.DIMENSION; i += 4) {
            s0 += a[aOffset + i] * b[bOffset + i];
            s1 += a[aOffset + i + 1] * b[bOffset + i + 1];
            s2 += a[aOffset + i + 2] * b[bOffset + i + 2];
            s3 += a[aOffset + i + 3] * b[bOffset + i + 3];
        }
        return (s0 + s1) + (s2 + s3);
    }

    static byte[] toBytes(float[] v) {
        ByteBuffer b = ByteBuffer.allocate(BYTES).order(ByteOrder.LITTLE_ENDIAN);
        b.asFloatBuffer().put(v);
        return b.array();
    }

    /** Reads a stored embedding into {@code matrix} at {@code offset}. */
    static void read(byte[] stored, float[] matrix, int offset) {
        if (stored.length != BYTES) {
            throw new IllegalStateException("a stored embedding has " + stored.length + " bytes, expected " + BYTES);
        }
        ByteBuffer.wrap(stored).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(matrix, offset, Embedder.DIMENSION);
    }
}
