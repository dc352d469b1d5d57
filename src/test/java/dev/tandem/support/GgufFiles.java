package dev.tandem.support;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a copy of a real GGUF model with one more string in its header: how tests give the tiny stories model
 * a chat template of its own, as real chat models carry one. Tensor data is copied unchanged and re-aligned.
 */
public final class GgufFiles {

    private GgufFiles() {
    }

    public static Path withString(Path source, String key, String value, Path target) throws IOException {
        ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(source)).order(ByteOrder.LITTLE_ENDIAN);
        int magic = in.getInt();
        int version = in.getInt();
        long tensors = in.getLong();
        long kvs = in.getLong();
        int kvStart = in.position();
        long alignment = 32;
        for (long i = 0; i < kvs; i++) {
            String k = string(in);
            int type = in.getInt();
            if (k.equals("general.alignment") && type == 4) {
                alignment = in.getInt() & 0xFFFFFFFFL;
            } else {
                skip(in, type);
            }
        }
        int kvEnd = in.position();
        for (long i = 0; i < tensors; i++) {
            string(in);
            int dims = in.getInt();
            in.position(in.position() + dims * 8 + 4 + 8);
        }
        int infoEnd = in.position();
        long dataStart = align(infoEnd, alignment);

        ByteArrayOutputStream out = new ByteArrayOutputStream(in.capacity() + value.length() + 1024);
        ByteBuffer head = ByteBuffer.allocate(24).order(ByteOrder.LITTLE_ENDIAN);
        head.putInt(magic).putInt(version).putLong(tensors).putLong(kvs + 1);
        out.writeBytes(head.array());
        out.write(in.array(), kvStart, kvEnd - kvStart);
        byte[] k = key.getBytes(StandardCharsets.UTF_8);
        byte[] v = value.getBytes(StandardCharsets.UTF_8);
        ByteBuffer kv = ByteBuffer.allocate(8 + k.length + 4 + 8 + v.length).order(ByteOrder.LITTLE_ENDIAN);
        kv.putLong(k.length).put(k).putInt(8).putLong(v.length).put(v);
        out.writeBytes(kv.array());
        out.write(in.array(), kvEnd, infoEnd - kvEnd);
        while (out.size() % alignment != 0) {
            out.write(0);
        }
        out.write(in.array(), (int) dataStart, in.capacity() - (int) dataStart);
        Files.write(target, out.toByteArray());
        return target;
    }

    private static long align(long offset, long alignment) {
        return (offset + alignment - 1) / alignment * alignment;
    }

    private static String string(ByteBuffer in) {
        int n = (int) in.getLong();
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }

    private static void skip(ByteBuffer in, int type) {
        switch (type) {
            case 0, 1, 7 -> in.position(in.position() + 1);
            case 2, 3 -> in.position(in.position() + 2);
            case 4, 5, 6 -> in.position(in.position() + 4);
            case 10, 11, 12 -> in.position(in.position() + 8);
            case 8 -> {
                int length = (int) in.getLong();
                in.position(in.position() + length);
            }
            case 9 -> {
                int itemType = in.getInt();
                long count = in.getLong();
                for (long i = 0; i < count; i++) {
                    skip(in, itemType);
                }
            }
            default -> throw new IllegalArgumentException("unknown GGUF type " + type);
        }
    }
}
