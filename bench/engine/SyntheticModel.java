/*
 * Writes a llama-architecture GGUF model with random weights and real dimensions (about 100M parameters, F16),
 * borrowing the tokenizer of a small real model. It talks nonsense, but it costs what a model of its size costs
 * to run: the local-engine benchmark uses it where only tiny models are at hand, to measure per-token overhead
 * and batching at a realistic decode cost. Nothing here is committed; the file goes to bench/out.
 *
 * Run: java bench/engine/SyntheticModel.java <tokenizer-source.gguf> <out.gguf> [n_embd] [layers] [n_ff] [f16|q8_0]
 */
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

public class SyntheticModel {

    record Tensor(String name, long[] dims, int type) {
        long elements() {
            long n = 1;
            for (long d : dims) {
                n *= d;
            }
            return n;
        }

        long bytes() {
            return switch (type) {
                case 0 -> elements() * 4;
                case 8 -> elements() / 32 * 34; // Q8_0: an f16 scale and 32 int8 per block
                default -> elements() * 2;
            };
        }
    }

    public static void main(String[] a) throws IOException {
        Path source = Path.of(a[0]);
        Path out = Path.of(a[1]);
        int embd = a.length > 2 ? Integer.parseInt(a[2]) : 1024;
        int layers = a.length > 3 ? Integer.parseInt(a[3]) : 8;
        int ff = a.length > 4 ? Integer.parseInt(a[4]) : 2816;
        int heads = embd / 64;
        int matrix = a.length > 5 && a[5].equals("q8_0") ? 8 : 1;
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(source)).order(ByteOrder.LITTLE_ENDIAN);
        in.getInt();
        in.getInt();
        in.getLong();
        long kvs = in.getLong();
        // keep the tokenizer entries of the source, as raw bytes
        ByteBuffer tokenizer = ByteBuffer.allocate(in.capacity()).order(ByteOrder.LITTLE_ENDIAN);
        int kept = 0;
        int vocab = 0;
        for (long i = 0; i < kvs; i++) {
            int start = in.position();
            String key = string(in);
            int type = in.getInt();
            if (type == 9 && key.equals("tokenizer.ggml.tokens")) {
                int at = in.position();
                in.getInt(); // item type
                vocab = (int) in.getLong();
                in.position(at);
            }
            skipValue(in, type);
            if (key.startsWith("tokenizer.")) {
                tokenizer.put(in.array(), start, in.position() - start);
                kept++;
            }
        }
        List<Tensor> tensors = new ArrayList<>();
        tensors.add(new Tensor("token_embd.weight", new long[] {embd, vocab}, matrix));
        for (int l = 0; l < layers; l++) {
            String p = "blk." + l + ".";
            tensors.add(new Tensor(p + "attn_norm.weight", new long[] {embd}, 0));
            tensors.add(new Tensor(p + "attn_q.weight", new long[] {embd, embd}, matrix));
            tensors.add(new Tensor(p + "attn_k.weight", new long[] {embd, embd}, matrix));
            tensors.add(new Tensor(p + "attn_v.weight", new long[] {embd, embd}, matrix));
            tensors.add(new Tensor(p + "attn_output.weight", new long[] {embd, embd}, matrix));
            tensors.add(new Tensor(p + "ffn_norm.weight", new long[] {embd}, 0));
            tensors.add(new Tensor(p + "ffn_gate.weight", new long[] {embd, ff}, matrix));
            tensors.add(new Tensor(p + "ffn_up.weight", new long[] {embd, ff}, matrix));
            tensors.add(new Tensor(p + "ffn_down.weight", new long[] {ff, embd}, matrix));
        }
        tensors.add(new Tensor("output_norm.weight", new long[] {embd}, 0));
        tensors.add(new Tensor("output.weight", new long[] {embd, vocab}, matrix));

        Files.createDirectories(out.toAbsolutePath().getParent());
        long params = tensors.stream().mapToLong(Tensor::elements).sum();
        try (OutputStream o = new BufferedOutputStream(Files.newOutputStream(out), 1 << 20)) {
            Header h = new Header();
            h.i32(0x46554747).i32(3).i64(tensors.size()).i64(kept + 9);
            h.raw(tokenizer.array(), tokenizer.position());
            h.kvString("general.architecture", "llama").kvString("general.name", "synthetic-" + params / 1_000_000 + "M");
            h.kvU32("llama.context_length", 4096).kvU32("llama.embedding_length", embd)
                    .kvU32("llama.feed_forward_length", ff).kvU32("llama.attention.head_count", heads)
                    .kvU32("llama.attention.head_count_kv", heads).kvU32("llama.block_count", layers)
                    .kvF32("llama.attention.layer_norm_rms_epsilon", 1e-5f);
            long offset = 0;
            for (Tensor t : tensors) {
                h.string(t.name()).i32(t.dims().length);
                for (long d : t.dims()) {
                    h.i64(d);
                }
                h.i32(t.type()).i64(offset);
                offset = align(offset + t.bytes());
            }
            byte[] head = h.bytes();
            o.write(head);
            o.write(new byte[(int) (align(head.length) - head.length)]);
            SplittableRandom random = new SplittableRandom(42);
            byte[] buffer = new byte[1 << 16];
            for (Tensor t : tensors) {
                long written = 0;
                ByteBuffer b = ByteBuffer.wrap(buffer).order(ByteOrder.LITTLE_ENDIAN);
                long step = t.type() == 8 ? 32 : 1;
                float[] block = new float[32];
                for (long e = 0; e < t.elements(); e += step) {
                    if (b.remaining() < 64) {
                        o.write(buffer, 0, b.position());
                        written += b.position();
                        b.clear();
                    }
                    if (t.type() == 0) {
                        b.putFloat(1.0f); // norm weights
                    } else if (t.type() == 8) {
                        float max = 0;
                        for (int i = 0; i < 32; i++) {
                            block[i] = (float) (random.nextGaussian() * 0.02);
                            max = Math.max(max, Math.abs(block[i]));
                        }
                        float scale = max / 127f;
                        b.putShort(Float.floatToFloat16(scale));
                        for (int i = 0; i < 32; i++) {
                            b.put((byte) Math.round(scale == 0 ? 0 : block[i] / scale));
                        }
                    } else {
                        b.putShort(Float.floatToFloat16((float) (random.nextGaussian() * 0.02)));
                    }
                }
                o.write(buffer, 0, b.position());
                written += b.position();
                o.write(new byte[(int) (align(written) - written)]);
            }
        }
        System.out.printf("wrote %s: %d tensors, %d M parameters, %d MiB%n", out, tensors.size(), params / 1_000_000,
                Files.size(out) >> 20);
    }

    static long align(long n) {
        return (n + 31) / 32 * 32;
    }

    static String string(ByteBuffer in) {
        int n = (int) in.getLong();
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    static void skipValue(ByteBuffer in, int type) {
        switch (type) {
            case 0, 1, 7 -> in.position(in.position() + 1);
            case 2, 3 -> in.position(in.position() + 2);
            case 4, 5, 6 -> in.position(in.position() + 4);
            case 10, 11, 12 -> in.position(in.position() + 8);
            case 8 -> {
                int n = (int) in.getLong();
                in.position(in.position() + n);
            }
            case 9 -> {
                int itemType = in.getInt();
                long count = in.getLong();
                for (long i = 0; i < count; i++) {
                    skipValue(in, itemType);
                }
            }
            default -> throw new IllegalArgumentException("GGUF type " + type);
        }
    }

    /** Little-endian header bytes. */
    static final class Header {
        private ByteBuffer b = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);

        Header i32(int v) {
            b.putInt(v);
            return this;
        }

        Header i64(long v) {
            b.putLong(v);
            return this;
        }

        Header raw(byte[] bytes, int length) {
            b.put(bytes, 0, length);
            return this;
        }

        Header string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            b.putLong(bytes.length).put(bytes);
            return this;
        }

        Header kvString(String key, String value) {
            return string(key).i32(8).string(value);
        }

        Header kvU32(String key, int value) {
            return string(key).i32(4).i32(value);
        }

        Header kvF32(String key, float value) {
            string(key).i32(6);
            b.putFloat(value);
            return this;
        }

        byte[] bytes() {
            byte[] out = new byte[b.position()];
            System.arraycopy(b.array(), 0, out, 0, out.length);
            return out;
        }
    }
}
