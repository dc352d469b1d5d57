package dev.tandem.companion;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads and writes character cards as the community's tools do:
 *
 * <ul>
 *   <li>JSON: Character Card V1 (flat fields), V2 ({@code chara_card_v2}, {@code data}) and V3
 *       ({@code chara_card_v3});</li>
 *   <li>PNG: the card as base64 JSON in {@code tEXt} chunks — {@code chara} (V2, what every tool reads) and
 *       {@code ccv3} (V3); both are written, {@code ccv3} wins when reading;</li>
 *   <li>CHARX: a zip with {@code card.json} (V3) and its assets, the main picture under
 *       {@code assets/icon/images/main.png}.</li>
 * </ul>
 *
 * <p>The {@code data} object travels as it was read: unknown fields and {@code extensions} survive every round
 * trip. Writing V3 from a V2 card adds the fields V3 requires (with empty values); writing V2 from a V3 card keeps
 * V3's extra fields too (V2 readers ignore them).
 */
public final class CharacterCards {

    private static final ObjectMapper JSON = JsonMapper.builder().build();
    private static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};
    private static final int MAX_CARD_BYTES = 32 * 1024 * 1024;
    private static final String CHARX_ICON = "assets/icon/images/main.png";

    private CharacterCards() {
    }

    /** Reads a card from a JSON, PNG or CHARX file, telling them apart by their first bytes. */
    public static CharacterCard read(byte[] file) {
        if (file.length > MAX_CARD_BYTES) {
            throw new CardException("The file is larger than " + MAX_CARD_BYTES / (1024 * 1024) + " MiB.");
        }
        if (startsWith(file, PNG_SIGNATURE)) {
            return readPng(file);
        }
        if (file.length > 3 && file[0] == 'P' && file[1] == 'K' && file[2] == 3 && file[3] == 4) {
            return readCharx(file);
        }
        return fromJson(file, null);
    }

    // ---- JSON

    private static CharacterCard fromJson(byte[] json, byte @Nullable [] image) {
        JsonNode root;
        try {
            root = JSON.readTree(json);
        } catch (JacksonException e) {
            throw new CardException("The file is neither a PNG, a CHARX nor JSON: " + e.getOriginalMessage());
        }
        if (root == null || !root.isObject()) {
            throw new CardException("A character card is a JSON object.");
        }
        String spec = root.path("spec").asString("");
        if (spec.equals("chara_card_v2") || spec.equals("chara_card_v3")) {
            JsonNode data = root.get("data");
            if (data == null || !data.isObject()) {
                throw new CardException("The card says it is " + spec + " but has no \"data\" object.");
            }
            requireName((ObjectNode) data);
            return new CharacterCard(spec.equals("chara_card_v3") ? 3 : 2, ((ObjectNode) data).deepCopy(), image);
        }
        if (!spec.isEmpty()) {
            throw new CardException("Unknown card spec '" + spec + "': Tandem reads chara_card_v2 and chara_card_v3.");
        }
        return new CharacterCard(1, fromV1((ObjectNode) root), image);
    }

    /** A V1 card's flat fields lifted into a V2 {@code data} object; its other fields kept. */
    private static ObjectNode fromV1(ObjectNode v1) {
        requireName(v1);
        ObjectNode data = v1.deepCopy();
        for (String field : List.of("description", "personality", "scenario", "first_mes", "mes_example")) {
            if (!data.has(field)) {
                data.put(field, "");
            }
        }
        defaults(data);
        return data;
    }

    private static void requireName(ObjectNode data) {
        JsonNode name = data.get("name");
        if (name == null || !name.isString() || name.asString().isBlank()) {
            throw new CardException("The card has no name: a character card needs at least \"name\".");
        }
    }

    /** Fields V2 defines, with their empty values where the card lacks them. */
    private static void defaults(ObjectNode data) {
        for (String field : List.of("creator_notes", "system_prompt", "post_history_instructions", "creator",
                "character_version")) {
            if (!data.has(field)) {
                data.put(field, "");
            }
        }
        for (String field : List.of("alternate_greetings", "tags")) {
            if (!data.has(field)) {
                data.putArray(field);
            }
        }
        if (!data.has("extensions")) {
            data.putObject("extensions");
        }
    }

    /** The card as Character Card V2 JSON. */
    public static byte[] toV2Json(CharacterCard card) {
        return JSON.writeValueAsBytes(v2(card));
    }

    /** The card as Character Card V3 JSON. */
    public static byte[] toV3Json(CharacterCard card) {
        return JSON.writeValueAsBytes(v3(card, false));
    }

    private static ObjectNode v2(CharacterCard card) {
        ObjectNode root = JSON.createObjectNode();
        root.put("spec", "chara_card_v2");
        root.put("spec_version", "2.0");
        ObjectNode data = card.data().deepCopy();
        defaults(data);
        root.set("data", data);
        return root;
    }

    private static ObjectNode v3(CharacterCard card, boolean embeddedIcon) {
        ObjectNode root = JSON.createObjectNode();
        root.put("spec", "chara_card_v3");
        root.put("spec_version", "3.0");
        ObjectNode data = card.data().deepCopy();
        defaults(data);
        if (!data.has("group_only_greetings")) {
            data.putArray("group_only_greetings");
        }
        if (!data.has("assets") || embeddedIcon) {
            JsonNode before = data.get("assets");
            ArrayNode assets = JSON.createArrayNode();
            ObjectNode icon = assets.addObject();
            icon.put("type", "icon");
            icon.put("uri", embeddedIcon ? "embeded://" + CHARX_ICON : "ccdefault:");
            icon.put("name", "main");
            icon.put("ext", "png");
            if (before != null && before.isArray()) {
                for (JsonNode a : before) {
                    boolean mainIcon = a.path("type").asString("").equals("icon")
                            && a.path("name").asString("").equals("main");
                    // assets packed in another CHARX are not carried over; links and defaults are
                    if (!mainIcon && !a.path("uri").asString("").startsWith("embeded://")) {
                        assets.add(a.deepCopy());
                    }
                }
            }
            data.set("assets", assets);
        }
        root.set("data", data);
        return root;
    }

    // ---- PNG

    private static CharacterCard readPng(byte[] png) {
        String v2 = null;
        String v3 = null;
        for (Chunk c : chunks(png)) {
            if (c.type().equals("tEXt")) {
                int zero = indexOf(c.data(), (byte) 0);
                if (zero < 0) {
                    continue;
                }
                String keyword = new String(c.data(), 0, zero, StandardCharsets.ISO_8859_1).toLowerCase();
                String text = new String(c.data(), zero + 1, c.data().length - zero - 1, StandardCharsets.ISO_8859_1);
                if (keyword.equals("chara")) {
                    v2 = text;
                } else if (keyword.equals("ccv3")) {
                    v3 = text;
                }
            }
        }
        String chosen = v3 != null ? v3 : v2;
        if (chosen == null) {
            throw new CardException("This PNG has no character card in it (no \"chara\" or \"ccv3\" text chunk).");
        }
        byte[] json;
        try {
            json = Base64.getDecoder().decode(chosen.strip());
        } catch (IllegalArgumentException e) {
            throw new CardException("The PNG's card chunk is not valid base64.");
        }
        return fromJson(json, png);
    }

    /**
     * The card in {@code image} (a PNG; the card's own picture when null): its {@code chara} (V2) and {@code ccv3}
     * (V3) chunks replaced, every other chunk kept.
     */
    public static byte[] toPng(CharacterCard card, byte @Nullable [] image) {
        byte[] png = image != null ? image : card.image();
        if (png == null || !startsWith(png, PNG_SIGNATURE)) {
            throw new CardException("Writing a card as PNG needs a PNG picture.");
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(png.length + 16 * 1024);
        out.writeBytes(PNG_SIGNATURE);
        for (Chunk c : chunks(png)) {
            if (c.type().equals("tEXt") && isCardChunk(c.data())) {
                continue; // replaced below
            }
            if (c.type().equals("IEND")) {
                writeChunk(out, "tEXt", text("chara", JSON.writeValueAsBytes(v2(card))));
                writeChunk(out, "tEXt", text("ccv3", JSON.writeValueAsBytes(v3(card, false))));
            }
            writeChunk(out, c.type(), c.data());
        }
        return out.toByteArray();
    }

    private static boolean isCardChunk(byte[] data) {
        int zero = indexOf(data, (byte) 0);
        if (zero < 0) {
            return false;
        }
        String keyword = new String(data, 0, zero, StandardCharsets.ISO_8859_1).toLowerCase();
        return keyword.equals("chara") || keyword.equals("ccv3");
    }

    private static byte[] text(String keyword, byte[] json) {
        byte[] k = keyword.getBytes(StandardCharsets.ISO_8859_1);
        byte[] v = Base64.getEncoder().encode(json);
        byte[] out = new byte[k.length + 1 + v.length];
        System.arraycopy(k, 0, out, 0, k.length);
        System.arraycopy(v, 0, out, k.length + 1, v.length);
        return out;
    }

    private record Chunk(String type, byte[] data) {
    }

    private static List<Chunk> chunks(byte[] png) {
        List<Chunk> out = new java.util.ArrayList<>();
        ByteBuffer b = ByteBuffer.wrap(png);
        b.position(PNG_SIGNATURE.length);
        while (b.remaining() >= 12) {
            int length = b.getInt();
            if (length < 0 || length > b.remaining() - 8) {
                throw new CardException("The PNG is damaged (a chunk runs past the end of the file).");
            }
            byte[] type = new byte[4];
            b.get(type);
            byte[] data = new byte[length];
            b.get(data);
            int crc = b.getInt();
            CRC32 check = new CRC32();
            check.update(type);
            check.update(data);
            if ((int) check.getValue() != crc) {
                throw new CardException("The PNG is damaged (a chunk's checksum does not match).");
            }
            String t = new String(type, StandardCharsets.ISO_8859_1);
            out.add(new Chunk(t, data));
            if (t.equals("IEND")) {
                break;
            }
        }
        if (out.isEmpty() || !out.getLast().type().equals("IEND")) {
            throw new CardException("The PNG is damaged (it does not end with IEND).");
        }
        return out;
    }

    private static void writeChunk(ByteArrayOutputStream out, String type, byte[] data) {
        byte[] t = type.getBytes(StandardCharsets.ISO_8859_1);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt(data.length).array());
        out.writeBytes(t);
        out.writeBytes(data);
        out.writeBytes(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
    }

    // ---- CHARX

    private static CharacterCard readCharx(byte[] zip) {
        byte[] card = null;
        byte[] icon = null;
        String iconPath = null;
        java.util.Map<String, byte[]> files = new java.util.HashMap<>();
        try (ZipInputStream in = new ZipInputStream(new ByteArrayInputStream(zip))) {
            ZipEntry e;
            long total = 0;
            while ((e = in.getNextEntry()) != null) {
                if (e.isDirectory()) {
                    continue;
                }
                byte[] content = in.readNBytes(MAX_CARD_BYTES + 1);
                total += content.length;
                if (total > MAX_CARD_BYTES) {
                    throw new CardException("The CHARX unpacks to more than " + MAX_CARD_BYTES / (1024 * 1024)
                            + " MiB.");
                }
                files.put(e.getName(), content);
            }
        } catch (IOException e) {
            throw new CardException("The CHARX file is not a readable zip: " + e.getMessage(), e);
        }
        card = files.get("card.json");
        if (card == null) {
            throw new CardException("The CHARX file has no card.json.");
        }
        CharacterCard read = fromJson(card, null);
        JsonNode assets = read.data().get("assets");
        if (assets != null && assets.isArray()) {
            for (JsonNode a : assets) {
                String uri = a.path("uri").asString("");
                if (a.path("type").asString("").equals("icon") && uri.startsWith("embeded://")) {
                    iconPath = uri.substring("embeded://".length());
                    break;
                }
            }
        }
        icon = files.get(iconPath != null ? iconPath : CHARX_ICON);
        return new CharacterCard(read.sourceVersion(), read.data(), icon);
    }

    /** The card as CHARX: {@code card.json} (V3) and, when it has one, its picture as the main icon. */
    public static byte[] toCharx(CharacterCard card) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (ZipOutputStream zip = new ZipOutputStream(out)) {
            zip.putNextEntry(new ZipEntry("card.json"));
            zip.write(JSON.writeValueAsBytes(v3(card, card.image() != null)));
            zip.closeEntry();
            if (card.image() != null) {
                zip.putNextEntry(new ZipEntry(CHARX_ICON));
                zip.write(card.image());
                zip.closeEntry();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    private static boolean startsWith(byte[] b, byte[] prefix) {
        return b.length >= prefix.length && Arrays.equals(b, 0, prefix.length, prefix, 0, prefix.length);
    }

    private static int indexOf(byte[] b, byte value) {
        for (int i = 0; i < b.length; i++) {
            if (b[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
