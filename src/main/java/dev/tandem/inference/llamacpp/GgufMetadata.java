package dev.tandem.inference.llamacpp;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * The key/value header of a GGUF file (format versions 2 and 3), read without loading tensors.
 *
 * <p>Scalars and strings are kept; arrays are skipped except {@code tokenizer.ggml.tokens}, from which only the
 * texts of the BOS and EOS tokens are kept (chat templates refer to them).
 */
public final class GgufMetadata {

    private static final int MAGIC = 0x46554747; // "GGUF" read little-endian
    private static final int MAX_STRING = 64 * 1024 * 1024;

    private final Map<String, Object> values;
    private final @Nullable String bosToken;
    private final @Nullable String eosToken;

    private GgufMetadata(Map<String, Object> values, @Nullable String bosToken, @Nullable String eosToken) {
        this.values = values;
        this.bosToken = bosToken;
        this.eosToken = eosToken;
    }

    /**
     * Reads the header of {@code file}.
     *
     * @throws IOException when the file cannot be read or is not GGUF
     */
    public static GgufMetadata read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 16)) {
            return read(new LittleEndian(in), file);
        }
    }

    private static GgufMetadata read(LittleEndian in, Path file) throws IOException {
        if (in.i32() != MAGIC) {
            throw new IOException(file + " is not a GGUF file (bad magic number)");
        }
        int version = in.i32();
        if (version < 2 || version > 3) {
            throw new IOException(file + " has GGUF version " + version + "; versions 2 and 3 are supported");
        }
        in.i64(); // tensor count
        long kvCount = in.i64();
        Map<String, Object> values = new HashMap<>();
        List<String> tokens = null;
        for (long i = 0; i < kvCount; i++) {
            String key = in.string();
            int type = in.i32();
            if (type == TYPE_ARRAY) {
                int itemType = in.i32();
                long count = in.i64();
                if (key.equals("tokenizer.ggml.tokens") && itemType == TYPE_STRING && count < Integer.MAX_VALUE) {
                    String[] texts = new String[(int) count];
                    for (int j = 0; j < count; j++) {
                        texts[j] = in.string();
                    }
                    tokens = List.of(texts);
                } else {
                    for (long j = 0; j < count; j++) {
                        skip(in, itemType);
                    }
                }
            } else {
                values.put(key, scalar(in, type));
            }
        }
        String bos = tokenText(tokens, values.get("tokenizer.ggml.bos_token_id"));
        String eos = tokenText(tokens, values.get("tokenizer.ggml.eos_token_id"));
        return new GgufMetadata(Map.copyOf(values), bos, eos);
    }

    private static @Nullable String tokenText(@Nullable List<String> tokens, @Nullable Object id) {
        if (tokens == null || !(id instanceof Number n)) {
            return null;
        }
        long i = n.longValue();
        return i >= 0 && i < tokens.size() ? tokens.get((int) i) : null;
    }

    public Optional<String> string(String key) {
        return values.get(key) instanceof String s ? Optional.of(s) : Optional.empty();
    }

    public Optional<Long> number(String key) {
        return values.get(key) instanceof Number n ? Optional.of(n.longValue()) : Optional.empty();
    }

    public Optional<Boolean> bool(String key) {
        return values.get(key) instanceof Boolean b ? Optional.of(b) : Optional.empty();
    }

    /** {@code general.architecture}, e.g. {@code llama}. */
    public String architecture() {
        return string("general.architecture").orElse("unknown");
    }

    /** The context length the model was trained with, if the file says. */
    public Optional<Integer> trainedContextLength() {
        return number(architecture() + ".context_length").map(Long::intValue);
    }

    /** The Jinja chat template the model ships with, if any. */
    public Optional<String> chatTemplate() {
        return string("tokenizer.chat_template").filter(s -> !s.isBlank());
    }

    /** Whether llama.cpp puts a BOS token before the prompt (its default is true for SentencePiece models). */
    public boolean addsBos() {
        return bool("tokenizer.ggml.add_bos_token")
                .orElse(string("tokenizer.ggml.model").map(m -> m.equals("llama")).orElse(false));
    }

    public Optional<String> bosToken() {
        return Optional.ofNullable(bosToken);
    }

    public Optional<String> eosToken() {
        return Optional.ofNullable(eosToken);
    }

    // GGUF value types
    private static final int TYPE_UINT8 = 0, TYPE_INT8 = 1, TYPE_UINT16 = 2, TYPE_INT16 = 3, TYPE_UINT32 = 4,
            TYPE_INT32 = 5, TYPE_FLOAT32 = 6, TYPE_BOOL = 7, TYPE_STRING = 8, TYPE_ARRAY = 9, TYPE_UINT64 = 10,
            TYPE_INT64 = 11, TYPE_FLOAT64 = 12;

    private static Object scalar(LittleEndian in, int type) throws IOException {
        return switch (type) {
            case TYPE_UINT8 -> (long) in.u8();
            case TYPE_INT8 -> (long) (byte) in.u8();
            case TYPE_UINT16 -> (long) in.u16();
            case TYPE_INT16 -> (long) (short) in.u16();
            case TYPE_UINT32 -> in.i32() & 0xFFFFFFFFL;
            case TYPE_INT32 -> (long) in.i32();
            case TYPE_FLOAT32 -> (double) Float.intBitsToFloat(in.i32());
            case TYPE_BOOL -> in.u8() != 0;
            case TYPE_STRING -> in.string();
            case TYPE_UINT64, TYPE_INT64 -> in.i64();
            case TYPE_FLOAT64 -> Double.longBitsToDouble(in.i64());
            default -> throw new IOException("unknown GGUF value type " + type);
        };
    }

    private static void skip(LittleEndian in, int type) throws IOException {
        switch (type) {
            case TYPE_UINT8, TYPE_INT8, TYPE_BOOL -> in.skip(1);
            case TYPE_UINT16, TYPE_INT16 -> in.skip(2);
            case TYPE_UINT32, TYPE_INT32, TYPE_FLOAT32 -> in.skip(4);
            case TYPE_UINT64, TYPE_INT64, TYPE_FLOAT64 -> in.skip(8);
            case TYPE_STRING -> in.skip(in.length());
            case TYPE_ARRAY -> {
                int itemType = in.i32();
                long count = in.i64();
                for (long j = 0; j < count; j++) {
                    skip(in, itemType);
                }
            }
            default -> throw new IOException("unknown GGUF value type " + type);
        }
    }

    /** Little-endian primitives over a stream. */
    private static final class LittleEndian {
        private final DataInputStream in;

        LittleEndian(InputStream in) {
            this.in = new DataInputStream(in);
        }

        int u8() throws IOException {
            return in.readUnsignedByte();
        }

        int u16() throws IOException {
            return Short.reverseBytes(in.readShort()) & 0xFFFF;
        }

        int i32() throws IOException {
            return Integer.reverseBytes(in.readInt());
        }

        long i64() throws IOException {
            return Long.reverseBytes(in.readLong());
        }

        long length() throws IOException {
            long n = i64();
            if (n < 0 || n > MAX_STRING) {
                throw new IOException("GGUF string length out of range: " + n);
            }
            return n;
        }

        String string() throws IOException {
            int n = (int) length();
            byte[] bytes = in.readNBytes(n);
            if (bytes.length < n) {
                // readNBytes stops quietly at the end: a cut-off file must not pass with a shortened value
                throw new EOFException("truncated GGUF header");
            }
            return new String(bytes, StandardCharsets.UTF_8);
        }

        void skip(long n) throws IOException {
            long left = n;
            while (left > 0) {
                long skipped = in.skip(left);
                if (skipped <= 0) {
                    if (in.read() < 0) {
                        throw new EOFException("truncated GGUF header");
                    }
                    skipped = 1;
                }
                left -= skipped;
            }
        }
    }
}
