package dev.tandem.companion.memory;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/** The MiniLM embedder keeps the {@link Embedder} contract, from one thread and from many. */
class MiniLmEmbedderTest {

    final Embedder embedder = ChatMemoryContract.EMBEDDER;

    static float cosine(float[] a, float[] b) {
        return Vectors.dot(a, b, 0);
    }

    @Test
    void givesNormalizedVectorsOf384WhoseCosineFollowsMeaning() {
        float[] dog = embedder.embed("my dog is called Biscuit");
        assertThat(dog).hasSize(Embedder.DIMENSION);
        assertThat(cosine(dog, dog)).isCloseTo(1f, org.assertj.core.data.Offset.offset(1e-4f));
        assertThat(embedder.embed("my dog is called Biscuit")).containsExactly(dog);
        float question = cosine(dog, embedder.embed("what is my dog's name?"));
        float unrelated = cosine(dog, embedder.embed("the stock market fell sharply on Tuesday"));
        assertThat(question).isGreaterThan(ChatMemory.MIN_SCORE).isGreaterThan(unrelated + 0.3f);
        assertThat(unrelated).isLessThan(ChatMemory.MIN_SCORE);
    }

    @Test
    void givesWhatTheLibrarysOwnModelGives() {
        // our session (one thread, no spinning) must not change the model: same vectors as the library's default
        var library = new dev.langchain4j.model.embedding.onnx.allminilml6v2q.AllMiniLmL6V2QuantizedEmbeddingModel();
        for (String text : List.of("I love hiking in the Alps", "what is my dog's name?", "ok")) {
            assertThat(cosine(embedder.embed(text), library.embed(text).content().vector())).as(text)
                    .isGreaterThan(0.9999f);
        }
    }

    @Test
    void givesTheSameVectorsFromManyThreads() throws Exception {
        List<String> texts = List.of("I love hiking", "my sister is called Mia", "I work as a nurse in Leeds",
                "the weather is nice today", "what is my dog's name?", "I was born in 1990");
        List<float[]> alone = texts.stream().map(embedder::embed).toList();
        List<Future<float[]>> together = new ArrayList<>();
        try (ExecutorService pool = Executors.newFixedThreadPool(6)) {
            for (int round = 0; round < 5; round++) {
                for (String t : texts) {
                    together.add(pool.submit(() -> embedder.embed(t)));
                }
            }
            for (int i = 0; i < together.size(); i++) {
                float[] v = together.get(i).get();
                float[] expected = alone.get(i % texts.size());
                assertThat(cosine(v, expected)).as(texts.get(i % texts.size())).isGreaterThan(0.9999f);
            }
        }
    }
}
