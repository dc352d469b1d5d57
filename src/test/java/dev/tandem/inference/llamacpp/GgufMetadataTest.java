package dev.tandem.inference.llamacpp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.tandem.support.TestModels;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GgufMetadataTest {

    @Nested
    class RealFiles {

        private static Path model(String name) {
            Path file = TestModels.modelsDir().toAbsolutePath().resolve(name);
            assumeTrue(Files.isRegularFile(file), "test model " + file
                    + " is missing: set TANDEM_TEST_MODELS_DIR to the folder holding it");
            return file;
        }

        @Test
        void readsTheLlamaHeaderOfStories260K() throws IOException {
            GgufMetadata meta = GgufMetadata.read(model("stories260K.gguf"));

            assertThat(meta.architecture()).isEqualTo("llama");
            assertThat(meta.trainedContextLength()).contains(2048);
            assertThat(meta.number("llama.block_count")).contains(5L);
            assertThat(meta.chatTemplate()).isEmpty();
            assertThat(meta.bosToken()).contains("<s>");
            assertThat(meta.eosToken()).contains("</s>");
            assertThat(meta.string("tokenizer.ggml.model")).contains("llama");
            assertThat(meta.addsBos()).as("SentencePiece (llama) vocabularies get a BOS by default").isTrue();
        }

        @Test
        void readsUnsignedThirtyTwoBitValuesWithoutTurningThemNegative() throws IOException {
            GgufMetadata meta = GgufMetadata.read(model("stories260K.gguf"));

            assertThat(meta.number("tokenizer.ggml.padding_token_id")).contains(4_294_967_295L);
        }

        @Test
        void readsTheChatTemplateAndSpecialTokensOfPhi3() throws IOException {
            GgufMetadata meta = GgufMetadata.read(model("ggml-vocab-phi-3.gguf"));

            assertThat(meta.architecture()).isEqualTo("phi3");
            assertThat(meta.trainedContextLength()).contains(4096);
            assertThat(meta.chatTemplate()).hasValueSatisfying(t -> assertThat(t)
                    .startsWith("{{ bos_token }}{% for message in messages %}")
                    .contains("'<|user|>' + '\n' + message['content'] + '<|end|>'"));
            assertThat(meta.bosToken()).contains("<s>");
            assertThat(meta.eosToken()).contains("<|endoftext|>");
            assertThat(meta.bool("tokenizer.ggml.add_bos_token")).contains(true);
            assertThat(meta.bool("tokenizer.ggml.add_eos_token")).contains(false);
            assertThat(meta.number("general.quantization_version"))
                    .as("the last key, read after a 32064-entry token array and two skipped arrays")
                    .contains(2L);
        }
    }

    @Test
    void rejectsAFileThatIsNotGgufWithAClearMessage(@TempDir Path dir) throws IOException {
        Path file = Files.writeString(dir.resolve("notes.gguf"), "this is a text file, not a model\n");

        assertThatThrownBy(() -> GgufMetadata.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining(file.toString())
                .hasMessageContaining("not a GGUF file");
    }

    @Test
    void rejectsAnEmptyFile(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("empty.gguf"), new byte[0]);

        assertThatThrownBy(() -> GgufMetadata.read(file)).isInstanceOf(IOException.class);
    }

    @Test
    void rejectsUnsupportedVersionsNamingThem(@TempDir Path dir) throws IOException {
        Path file = Files.write(dir.resolve("v1.gguf"), new Gguf(1).bytes());

        assertThatThrownBy(() -> GgufMetadata.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("GGUF version 1")
                .hasMessageContaining("versions 2 and 3 are supported");
    }

    @Test
    void rejectsAnUnknownValueType(@TempDir Path dir) throws IOException {
        Gguf gguf = new Gguf(3);
        gguf.key("general.architecture").u32(8).str("llama");
        gguf.key("weird").u32(99).u32(0);
        Path file = Files.write(dir.resolve("weird.gguf"), gguf.bytes());

        assertThatThrownBy(() -> GgufMetadata.read(file))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("unknown GGUF value type 99");
    }

    @Nested
    class SyntheticFile {

        /** A v3 header with one value of every scalar type, arrays to skip, and the token list. */
        private static byte[] everyType() {
            Gguf g = new Gguf(3);
            g.key("general.architecture").u32(Gguf.STRING).str("tiny");
            g.key("tiny.context_length").u32(Gguf.UINT32).u32(4_000_000_000L);
            g.key("v.u8").u32(Gguf.UINT8).u8(200);
            g.key("v.i8").u32(Gguf.INT8).u8(-5);
            g.key("v.u16").u32(Gguf.UINT16).u16(65_000);
            g.key("v.i16").u32(Gguf.INT16).u16(-300);
            g.key("v.i32").u32(Gguf.INT32).u32(-70_000);
            g.key("v.f32").u32(Gguf.FLOAT32).f32(1.0e6f);
            g.key("v.u64").u32(Gguf.UINT64).u64(1L << 40);
            g.key("v.i64").u32(Gguf.INT64).u64(-9L);
            g.key("v.f64").u32(Gguf.FLOAT64).f64(-2.0);
            g.key("v.bool").u32(Gguf.BOOL).u8(1);
            g.key("tokenizer.ggml.scores").u32(Gguf.ARRAY).u32(Gguf.FLOAT32).u64(4)
                    .f32(0).f32(-1).f32(-2).f32(-3);
            g.key("tokenizer.ggml.tokens").u32(Gguf.ARRAY).u32(Gguf.STRING).u64(4)
                    .str("<unk>").str("<|begin|>").str("<|end|>").str("héllo ✓");
            g.key("tokenizer.ggml.merges").u32(Gguf.ARRAY).u32(Gguf.STRING).u64(2).str("h e").str("l l");
            g.key("nested").u32(Gguf.ARRAY).u32(Gguf.ARRAY).u64(2)
                    .u32(Gguf.UINT16).u64(3).u16(1).u16(2).u16(3)
                    .u32(Gguf.STRING).u64(1).str("deep");
            g.key("tokenizer.ggml.bos_token_id").u32(Gguf.UINT32).u32(1);
            g.key("tokenizer.ggml.eos_token_id").u32(Gguf.INT32).u32(2);
            g.key("tokenizer.ggml.model").u32(Gguf.STRING).str("gpt2");
            g.key("tokenizer.chat_template").u32(Gguf.STRING).str("{{ bos_token }}{{ messages[0].content }}");
            return g.bytes();
        }

        private static GgufMetadata read(Path dir, byte[] bytes) throws IOException {
            return GgufMetadata.read(Files.write(dir.resolve("tiny.gguf"), bytes));
        }

        @Test
        void readsEveryScalarTypeWithItsSignAndWidth(@TempDir Path dir) throws IOException {
            GgufMetadata meta = read(dir, everyType());

            assertThat(meta.number("v.u8")).contains(200L);
            assertThat(meta.number("v.i8")).contains(-5L);
            assertThat(meta.number("v.u16")).contains(65_000L);
            assertThat(meta.number("v.i16")).contains(-300L);
            assertThat(meta.number("v.i32")).contains(-70_000L);
            assertThat(meta.number("v.u64")).contains(1L << 40);
            assertThat(meta.number("v.i64")).contains(-9L);
            assertThat(meta.number("v.f32")).contains(1_000_000L);
            assertThat(meta.number("v.f64")).contains(-2L);
            assertThat(meta.bool("v.bool")).contains(true);
            assertThat(meta.string("general.architecture")).contains("tiny");
        }

        @Test
        void keepsEachValueUnderItsOwnTypeOnly(@TempDir Path dir) throws IOException {
            GgufMetadata meta = read(dir, everyType());

            assertThat(meta.string("v.u8")).isEmpty();
            assertThat(meta.number("general.architecture")).isEmpty();
            assertThat(meta.bool("v.u8")).isEmpty();
            assertThat(meta.number("no.such.key")).isEmpty();
        }

        @Test
        void readsTheContextLengthOfItsOwnArchitectureAsUnsigned(@TempDir Path dir) throws IOException {
            GgufMetadata meta = read(dir, everyType());

            assertThat(meta.architecture()).isEqualTo("tiny");
            assertThat(meta.number("tiny.context_length")).contains(4_000_000_000L);
        }

        @Test
        void skipsArraysAndReadsTheKeysAfterThem(@TempDir Path dir) throws IOException {
            GgufMetadata meta = read(dir, everyType());

            assertThat(meta.string("tokenizer.ggml.model")).contains("gpt2");
            assertThat(meta.chatTemplate()).contains("{{ bos_token }}{{ messages[0].content }}");
            assertThat(meta.string("tokenizer.ggml.merges")).as("arrays are not kept").isEmpty();
            assertThat(meta.string("nested")).isEmpty();
        }

        @Test
        void takesBosAndEosTextsFromTheTokenList(@TempDir Path dir) throws IOException {
            GgufMetadata meta = read(dir, everyType());

            assertThat(meta.bosToken()).contains("<|begin|>");
            assertThat(meta.eosToken()).contains("<|end|>");
        }

        @Test
        void addsNoBosForANonLlamaTokenizerThatDoesNotAskForOne(@TempDir Path dir) throws IOException {
            assertThat(read(dir, everyType()).addsBos()).isFalse();
        }

        @Test
        void readsStringsAsUtf8(@TempDir Path dir) throws IOException {
            Gguf g = new Gguf(3);
            g.key("tokenizer.ggml.tokens").u32(Gguf.ARRAY).u32(Gguf.STRING).u64(2).str("a").str("héllo ✓ 😀");
            g.key("tokenizer.ggml.bos_token_id").u32(Gguf.UINT32).u32(1);
            g.key("general.name").u32(Gguf.STRING).str("Modèle ✓");

            GgufMetadata meta = read(dir, g.bytes());

            assertThat(meta.bosToken()).contains("héllo ✓ 😀");
            assertThat(meta.string("general.name")).contains("Modèle ✓");
        }

        @Test
        void readsVersionTwoFiles(@TempDir Path dir) throws IOException {
            Gguf g = new Gguf(2);
            g.key("general.architecture").u32(Gguf.STRING).str("llama");
            g.key("llama.context_length").u32(Gguf.UINT32).u32(512);

            GgufMetadata meta = read(dir, g.bytes());

            assertThat(meta.trainedContextLength()).contains(512);
        }

        @Test
        void hasNoSpecialTokensWhenIdsAreMissingOrOutOfRange(@TempDir Path dir) throws IOException {
            Gguf g = new Gguf(3);
            g.key("tokenizer.ggml.tokens").u32(Gguf.ARRAY).u32(Gguf.STRING).u64(2).str("a").str("b");
            g.key("tokenizer.ggml.eos_token_id").u32(Gguf.UINT32).u32(0xFFFF_FFFFL);

            GgufMetadata meta = read(dir, g.bytes());

            assertThat(meta.bosToken()).isEmpty();
            assertThat(meta.eosToken()).isEmpty();
            assertThat(meta.architecture()).isEqualTo("unknown");
            assertThat(meta.trainedContextLength()).isEmpty();
            assertThat(meta.chatTemplate()).isEmpty();
        }

        @Test
        void treatsABlankChatTemplateAsNone(@TempDir Path dir) throws IOException {
            Gguf g = new Gguf(3);
            g.key("tokenizer.chat_template").u32(Gguf.STRING).str("  \n");

            assertThat(read(dir, g.bytes()).chatTemplate()).isEmpty();
        }

        @Test
        void letsAnExplicitAddBosFlagWin(@TempDir Path dir) throws IOException {
            Gguf g = new Gguf(3);
            g.key("tokenizer.ggml.model").u32(Gguf.STRING).str("llama");
            g.key("tokenizer.ggml.add_bos_token").u32(Gguf.BOOL).u8(0);

            assertThat(read(dir, g.bytes()).addsBos()).isFalse();
        }

        @Test
        void rejectsTheFileWhereverItIsCutShort(@TempDir Path dir) throws IOException {
            byte[] full = everyType();
            Path file = dir.resolve("cut.gguf");

            for (int length = 0; length < full.length; length++) {
                Files.write(file, Arrays.copyOf(full, length));
                assertThat(catchThrowable(() -> GgufMetadata.read(file)))
                        .as("file cut to %d of %d bytes", length, full.length)
                        .isInstanceOf(IOException.class);
            }
        }

        @Test
        void rejectsAStringLengthBeyondTheLimit(@TempDir Path dir) throws IOException {
            Gguf g = new Gguf(3);
            g.key("general.name").u32(Gguf.STRING).u64(1L << 40);

            assertThatThrownBy(() -> read(dir, g.bytes()))
                    .isInstanceOf(IOException.class)
                    .hasMessageContaining("GGUF string length out of range");
        }
    }

    /** Writes a GGUF header, little-endian, as the format specifies: magic, version, tensor count, kv count, kvs. */
    private static final class Gguf {
        static final int UINT8 = 0, INT8 = 1, UINT16 = 2, INT16 = 3, UINT32 = 4, INT32 = 5, FLOAT32 = 6, BOOL = 7,
                STRING = 8, ARRAY = 9, UINT64 = 10, INT64 = 11, FLOAT64 = 12;

        private final int version;
        private final ByteArrayOutputStream kvs = new ByteArrayOutputStream();
        private int count;

        Gguf(int version) {
            this.version = version;
        }

        Gguf key(String name) {
            count++;
            return str(name);
        }

        Gguf u8(int v) {
            kvs.write(v);
            return this;
        }

        Gguf u16(int v) {
            return put(ByteBuffer.allocate(2).order(ByteOrder.LITTLE_ENDIAN).putShort((short) v));
        }

        Gguf u32(long v) {
            return put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putInt((int) v));
        }

        Gguf u64(long v) {
            return put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(v));
        }

        Gguf f32(float v) {
            return put(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(v));
        }

        Gguf f64(double v) {
            return put(ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putDouble(v));
        }

        Gguf str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            u64(b.length);
            kvs.writeBytes(b);
            return this;
        }

        private Gguf put(ByteBuffer b) {
            kvs.writeBytes(b.array());
            return this;
        }

        byte[] bytes() {
            ByteBuffer head = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
            head.put("GGUF".getBytes(StandardCharsets.US_ASCII)).putInt(version).putLong(0).putLong(count);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            out.writeBytes(head.array());
            out.writeBytes(kvs.toByteArray());
            return out.toByteArray();
        }
    }
}
