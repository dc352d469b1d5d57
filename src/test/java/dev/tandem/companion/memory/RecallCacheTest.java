package dev.tandem.companion.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The vector cache's bounds, its guard against a load racing a write, and snapshots that share one matrix. */
class RecallCacheTest {

    final Random random = new Random(3);

    float[] vector() {
        float[] v = new float[Embedder.DIMENSION];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) random.nextGaussian();
        }
        return Vectors.normalized(v);
    }

    static Memory memory(String id) {
        return new Memory(id, "cht", "psn", Memory.Kind.NOTE, "text " + id, false, null, 1, 1);
    }

    ChatVectors chat(int rows) {
        List<Memory> memories = new ArrayList<>();
        float[] matrix = new float[rows * Embedder.DIMENSION];
        for (int i = 0; i < rows; i++) {
            memories.add(memory("mem_" + i));
            System.arraycopy(vector(), 0, matrix, i * Embedder.DIMENSION, Embedder.DIMENSION);
        }
        return ChatVectors.of(memories, matrix, 0);
    }

    static void put(RecallCache cache, String chatId, ChatVectors v) {
        cache.install(chatId, v, cache.generation(chatId));
    }

    @Test
    void keepsAtMostTheGivenChatsLeastRecentlyUsedOut() {
        RecallCache cache = new RecallCache(2, 1_000);
        put(cache, "a", chat(1));
        put(cache, "b", chat(1));
        assertThat(cache.get("a")).isNotNull();
        put(cache, "c", chat(1));
        assertThat(cache.get("b")).as("least recently used").isNull();
        assertThat(cache.get("a")).isNotNull();
        assertThat(cache.get("c")).isNotNull();
        assertThat(cache.cachedChats()).isEqualTo(2);
    }

    @Test
    void keepsAtMostTheGivenRowsButAlwaysTheChatJustUsed() {
        RecallCache cache = new RecallCache(10, 10);
        put(cache, "a", chat(6));
        put(cache, "b", chat(6));
        assertThat(cache.get("a")).isNull();
        assertThat(cache.get("b")).isNotNull();
        put(cache, "big", chat(20));
        assertThat(cache.get("big")).isNotNull();
        assertThat(cache.cachedChats()).isEqualTo(1);
    }

    @Test
    void aLoadThatRacedAWriteIsNotInstalled() {
        RecallCache cache = new RecallCache(10, 1_000);
        long before = cache.generation("a");
        cache.update("a", c -> c); // a write committed while the load was reading
        cache.install("a", chat(1), before);
        assertThat(cache.get("a")).as("the load may have missed the write").isNull();
        cache.install("a", chat(1), cache.generation("a"));
        assertThat(cache.get("a")).isNotNull();
    }

    @Test
    void snapshotsThatShareAMatrixNeverSeeEachOthersRows() {
        ChatVectors base = ChatVectors.of(List.of(memory("mem_0")), java.util.Arrays.copyOf(vector(), 8 * 384), 0);
        float[] second = vector();
        float[] other = vector();
        ChatVectors appended = base.appended(memory("mem_1"), second);
        ChatVectors forked = base.appended(memory("mem_2"), other); // the row after base is taken: a copy
        assertThat(appended.bestSimilarity(second)).isGreaterThan(0.999f);
        assertThat(forked.bestSimilarity(other)).isGreaterThan(0.999f);
        assertThat(forked.bestSimilarity(second)).isLessThan(0.5f);
        assertThat(appended.bestSimilarity(other)).isLessThan(0.5f);
        assertThat(base.size()).isEqualTo(1);
        assertThat(appended.appended(memory("mem_1"), second).size()).as("a write seen twice").isEqualTo(2);
    }
}
