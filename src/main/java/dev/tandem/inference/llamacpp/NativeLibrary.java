package dev.tandem.inference.llamacpp;

import de.kherud.llama.LlamaModel;
import de.kherud.llama.LogLevel;
import de.kherud.llama.args.LogFormat;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads llama.cpp's native library from the {@code de.kherud:llama} jar and routes its log to ours.
 *
 * <p>The library's own loader prints to stdout and deletes files named {@code llama*} in the system temp
 * directory. We extract the library once into Tandem's data directory instead and point the loader there.
 */
final class NativeLibrary {

    private static final Logger log = LoggerFactory.getLogger("llama.cpp");
    private static volatile boolean loaded;

    private NativeLibrary() {
    }

    /** Makes the native library loadable from {@code nativeDir}; idempotent. */
    static synchronized void load(Path nativeDir) {
        if (loaded) {
            return;
        }
        String folder = osFolder();
        String fileName = System.mapLibraryName("jllama");
        String resource = "/de/kherud/llama/" + folder + "/" + fileName;
        try {
            Path dir = nativeDir.resolve(folder);
            Files.createDirectories(dir);
            Path target = dir.resolve(fileName);
            try (InputStream in = LlamaModel.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("llama.cpp has no native library for " + folder
                            + " in the de.kherud:llama jar (looked for " + resource + ")");
                }
                Path tmp = Files.createTempFile(dir, "jllama", ".tmp");
                Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
                if (!Files.exists(target) || Files.mismatch(tmp, target) != -1L) {
                    Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } else {
                    Files.delete(tmp);
                }
            }
            System.setProperty("de.kherud.llama.lib.path", dir.toString());
            System.setProperty("de.kherud.llama.tmpdir", dir.toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract llama.cpp's native library into " + nativeDir, e);
        }
        routeLogs();
        loaded = true;
    }

    /**
     * Sends llama.cpp's log to SLF4J. Loading a model resets llama.cpp's log callback, so engines call this
     * again after each load.
     */
    static void routeLogs() {
        LlamaModel.setLogger(LogFormat.TEXT, NativeLibrary::logLine);
    }

    private static void logLine(LogLevel level, String message) {
        String line = message.strip();
        if (line.isEmpty()) {
            return;
        }
        switch (level) {
            case ERROR -> log.error(line);
            case WARN -> log.warn(line);
            case INFO -> log.debug(line); // llama.cpp is chatty at INFO; its progress is ours to report
            default -> log.trace(line);
        }
    }

    private static String osFolder() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String osName = os.contains("win") ? "Windows" : os.contains("mac") || os.contains("darwin") ? "Mac" : "Linux";
        String archName = switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "aarch64";
            case "x86", "i386", "i686" -> "x86";
            default -> arch;
        };
        return osName + "/" + archName;
    }
}
