package dev.tandem.support;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Assumptions;

/**
 * The real model files tests run on: {@code TANDEM_TEST_MODEL} or {@code ../shared/models/stories260K.gguf}.
 * Tests that need one skip with a visible reason where it does not exist.
 */
public final class TestModels {

    private TestModels() {
    }

    public static Path modelsDir() {
        String dir = System.getenv("TANDEM_TEST_MODELS_DIR");
        return dir != null && !dir.isBlank() ? Path.of(dir) : Path.of("..", "shared", "models").toAbsolutePath().normalize();
    }

    /** The tiny llama model; skips the calling test when it is missing. */
    public static Path stories() {
        String env = System.getenv("TANDEM_TEST_MODEL");
        Path path = env != null && !env.isBlank() ? Path.of(env) : modelsDir().resolve("stories260K.gguf");
        Assumptions.assumeTrue(Files.isRegularFile(path),
                "skipped: the test model " + path + " does not exist (set TANDEM_TEST_MODEL to a GGUF file)");
        return path.toAbsolutePath();
    }
}
