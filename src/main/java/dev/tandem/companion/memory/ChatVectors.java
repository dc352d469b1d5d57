package dev.tandem.companion.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * The memories of one chat with their embeddings in one contiguous matrix (row {@code i} at {@code i * 384}): an
 * immutable snapshot that recall reads without locks. A change gives a new snapshot. An append writes the next
 * free row of the shared matrix when no other snapshot has claimed it (older snapshots never read past their own
 * size), so adding a memory to a chat of 10,000 costs one row, not a copy of 15 MB; edits and deletes copy.
 */
final class ChatVectors {

    private static final int DIM = Embedder.DIMENSION;

    /** A matrix and how many of its rows some snapshot has claimed. */
    private record Block(float[] data, AtomicInteger claimed) {
        int capacity() {
            return data.length / DIM;
        }
    }

    private final Memory[] rows;
    private final Block block;
    private final long checkedAt;

    private ChatVectors(Memory[] rows, Block block, long checkedAt) {
        this.rows = rows;
        this.block = block;
        this.checkedAt = checkedAt;
    }

    /** @param matrix the rows' embeddings, row after row; its length may exceed {@code rows.size() * 384} */
    static ChatVectors of(List<Memory> rows, float[] matrix, long checkedAt) {
        return new ChatVectors(rows.toArray(Memory[]::new), new Block(matrix, new AtomicInteger(rows.size())),
                checkedAt);
    }

    int size() {
        return rows.length;
    }

    /** When this snapshot was last known to match the database (epoch milliseconds). */
    long checkedAt() {
        return checkedAt;
    }

    ChatVectors checked(long at) {
        return new ChatVectors(rows, block, at);
    }

    /** What a database query can compare to tell whether another node changed the chat: count and updates. */
    Fingerprint fingerprint() {
        long sum = 0;
        for (Memory m : rows) {
            sum += m.updatedAt();
        }
        return new Fingerprint(rows.length, sum);
    }

    record Fingerprint(long count, long updatedAtSum) {
    }

    /** The memory in row {@code i}. */
    Memory memory(int i) {
        return rows[i];
    }

    /** Row {@code i}'s vector (a copy). */
    float[] vector(int i) {
        return Arrays.copyOfRange(block.data, i * DIM, (i + 1) * DIM);
    }

    /** The cosine similarity of {@code v} to row {@code i}. */
    float similarity(float[] v, int i) {
        return Vectors.dot(v, block.data, i * DIM);
    }

    /** The highest cosine similarity of {@code v} to any row, or -1 when there are none. */
    float bestSimilarity(float[] v) {
        return bestSimilarity(v, m -> false);
    }

    /** The highest cosine similarity of {@code v} to any row but those {@code left} out, or -1 when there are none. */
    float bestSimilarity(float[] v, Predicate<Memory> left) {
        float best = -1;
        for (int i = 0; i < rows.length; i++) {
            if (!left.test(rows[i])) {
                best = Math.max(best, Vectors.dot(v, block.data, i * DIM));
            }
        }
        return best;
    }

    /**
     * Every pinned memory, newest first, then up to {@code limit} others with similarity at least {@code minScore},
     * best first, leaving out any whose similarity to one already chosen (pinned included) reaches
     * {@code duplicate}.
     */
    List<Recalled> recall(float[] query, int limit, float minScore, float duplicate) {
        float[] m = block.data;
        float[] scores = new float[rows.length];
        long[] candidates = new long[rows.length];
        int count = 0;
        List<Integer> pinned = new ArrayList<>();
        for (int i = 0; i < rows.length; i++) {
            float s = Vectors.dot(query, m, i * DIM);
            scores[i] = s;
            if (rows[i].pinned()) {
                pinned.add(i);
            } else if (s >= minScore) {
                // positive floats order as their bits do: one primitive sort of (score, row) pairs
                candidates[count++] = ((long) Float.floatToIntBits(s) << 32) | i;
            }
        }
        pinned.sort(Comparator.comparingLong((Integer i) -> rows[i].createdAt()).reversed());
        List<Recalled> out = new ArrayList<>(pinned.size() + limit);
        int[] chosen = new int[pinned.size() + limit];
        int taken = 0;
        for (int i : pinned) {
            out.add(new Recalled(rows[i], scores[i]));
            chosen[taken++] = i;
        }
        Arrays.sort(candidates, 0, count);
        for (int k = count - 1; k >= 0 && out.size() < pinned.size() + limit; k--) {
            int i = (int) candidates[k];
            if (!nearDuplicate(i, chosen, taken, duplicate)) {
                out.add(new Recalled(rows[i], scores[i]));
                chosen[taken++] = i;
            }
        }
        return out;
    }

    private boolean nearDuplicate(int row, int[] chosen, int taken, float duplicate) {
        float[] m = block.data;
        for (int k = 0; k < taken; k++) {
            if (Vectors.dot(m, row * DIM, m, chosen[k] * DIM) >= duplicate) {
                return true;
            }
        }
        return false;
    }

    /** With {@code memory} added, or replaced where its id is here already (a write seen twice changes nothing). */
    ChatVectors appended(Memory memory, float[] vector) {
        if (indexOf(memory.id()) >= 0) {
            return replaced(memory, vector);
        }
        int n = rows.length;
        Block target = block;
        if (n >= block.capacity() || !block.claimed.compareAndSet(n, n + 1)) {
            float[] grown = Arrays.copyOf(block.data, Math.max(16, n + n / 2 + 1) * DIM);
            target = new Block(grown, new AtomicInteger(n + 1));
        }
        System.arraycopy(vector, 0, target.data, n * DIM, DIM);
        Memory[] more = Arrays.copyOf(rows, n + 1);
        more[n] = memory;
        return new ChatVectors(more, target, checkedAt);
    }

    /** With the row of {@code memory}'s id replaced; its vector too unless {@code vector} is null. */
    ChatVectors replaced(Memory memory, float @Nullable [] vector) {
        int i = indexOf(memory.id());
        if (i < 0) {
            return this;
        }
        Memory[] changed = rows.clone();
        changed[i] = memory;
        if (vector == null) {
            return new ChatVectors(changed, block, checkedAt);
        }
        float[] data = Arrays.copyOf(block.data, rows.length * DIM);
        System.arraycopy(vector, 0, data, i * DIM, DIM);
        return new ChatVectors(changed, new Block(data, new AtomicInteger(rows.length)), checkedAt);
    }

    ChatVectors removed(Predicate<Memory> gone) {
        List<Memory> kept = new ArrayList<>(rows.length);
        float[] data = new float[rows.length * DIM];
        for (int i = 0; i < rows.length; i++) {
            if (!gone.test(rows[i])) {
                System.arraycopy(block.data, i * DIM, data, kept.size() * DIM, DIM);
                kept.add(rows[i]);
            }
        }
        return kept.size() == rows.length ? this : of(kept, data, checkedAt);
    }

    int indexOf(String id) {
        for (int i = 0; i < rows.length; i++) {
            if (rows[i].id().equals(id)) {
                return i;
            }
        }
        return -1;
    }
}
