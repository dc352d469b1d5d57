package dev.tandem.companion;

import dev.tandem.identity.Ids;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Clock;
import java.util.Iterator;
import java.util.Optional;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.stereotype.Service;

/**
 * Pictures people upload (avatars, card art). An upload is checked — size, a real PNG, JPEG or GIF, dimensions
 * read from its header before any pixel is decoded (no decompression bombs) — then decoded, scaled to fit
 * {@value #MAX_SIDE}×{@value #MAX_SIDE} and re-encoded as PNG: what is stored and served is never the uploaded
 * file itself. Thread-safe.
 */
@Service
public class Images {

    /** The longest side of a stored picture. */
    public static final int MAX_SIDE = 512;
    /** The most pixels an upload may declare. */
    static final long MAX_PIXELS = 40_000_000L;

    /** A stored picture. */
    public record Image(String id, String contentType, int width, int height, byte[] bytes) {
    }

    private final JdbcClient jdbc;
    private final Clock clock;
    private final long maxBytes;

    Images(JdbcClient jdbc, Clock clock, CompanionProperties properties) {
        this.jdbc = jdbc;
        this.clock = clock;
        this.maxBytes = properties.avatarMaxBytes();
    }

    /**
     * Checks, scales and stores an upload.
     *
     * @throws CompanionException INVALID for an empty, oversized, corrupt or unsupported file
     */
    public Image store(String ownerId, byte[] upload) {
        BufferedImage scaled = scale(decode(upload, maxBytes));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(scaled, "png", out);
        } catch (IOException e) {
            throw new IllegalStateException("PNG encoding failed", e);
        }
        Image image = new Image(Ids.next("img"), "image/png", scaled.getWidth(), scaled.getHeight(), out.toByteArray());
        jdbc.sql("INSERT INTO companion_images (id, owner_id, content_type, width, height, bytes, created_at) "
                        + "VALUES (:id, :o, :t, :w, :h, :b, :now)")
                .param("id", image.id()).param("o", ownerId).param("t", image.contentType())
                .param("w", image.width()).param("h", image.height()).param("b", image.bytes())
                .param("now", clock.millis()).update();
        return image;
    }

    public Optional<Image> find(String id) {
        return jdbc.sql("SELECT id, content_type, width, height, bytes FROM companion_images WHERE id = :id")
                .param("id", id)
                .query((rs, i) -> new Image(rs.getString(1), rs.getString(2), rs.getInt(3), rs.getInt(4),
                        rs.getBytes(5)))
                .optional();
    }

    /** Decodes an upload after checking what it claims to be. */
    static BufferedImage decode(byte[] upload, long maxBytes) {
        if (upload.length == 0) {
            throw CompanionException.invalid("image", "The image file is empty.");
        }
        if (upload.length > maxBytes) {
            throw CompanionException.invalid("image", "The image is larger than " + maxBytes / (1024 * 1024)
                    + " MiB; upload a smaller one.");
        }
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(upload))) {
            if (in == null) {
                throw unsupported();
            }
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw unsupported();
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toLowerCase(java.util.Locale.ROOT);
            if (!format.equals("png") && !format.equals("jpeg") && !format.equals("gif")) {
                throw unsupported();
            }
            try {
                reader.setInput(in, true, true);
                long width = reader.getWidth(0);
                long height = reader.getHeight(0);
                if (width <= 0 || height <= 0 || width * height > MAX_PIXELS) {
                    throw CompanionException.invalid("image", "The image is " + width + "×" + height
                            + " pixels; the most is " + MAX_PIXELS / 1_000_000 + " megapixels.");
                }
                BufferedImage image = reader.read(0);
                if (image == null) {
                    throw corrupt();
                }
                return image;
            } finally {
                reader.dispose();
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof CompanionException c) {
                throw c;
            }
            throw corrupt();
        }
    }

    /** Scales to fit {@link #MAX_SIDE}, keeping the aspect ratio; smaller pictures keep their size. */
    static BufferedImage scale(BufferedImage source) {
        int w = source.getWidth();
        int h = source.getHeight();
        double f = Math.min(1.0, (double) MAX_SIDE / Math.max(w, h));
        int tw = Math.max(1, (int) Math.round(w * f));
        int th = Math.max(1, (int) Math.round(h * f));
        BufferedImage target = new BufferedImage(tw, th, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = target.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
            g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
            g.drawImage(source, 0, 0, tw, th, null);
        } finally {
            g.dispose();
        }
        return target;
    }

    private static CompanionException unsupported() {
        return CompanionException.invalid("image", "This file is not a PNG, JPEG or GIF image.");
    }

    private static CompanionException corrupt() {
        return CompanionException.invalid("image", "The image is damaged and cannot be read.");
    }
}
