package dev.tandem.companion;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import javax.imageio.ImageIO;

/** The picture of a character without one: a silhouette on a colour taken from its name. */
final class Placeholder {

    private Placeholder() {
    }

    static byte[] png(String name) {
        BufferedImage image = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            float hue = (name.hashCode() & 0xffff) / 65536f;
            g.setColor(Color.getHSBColor(hue, 0.45f, 0.55f));
            g.fillRect(0, 0, 256, 256);
            // shapes, not text: a server may have no fonts installed
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.getHSBColor(hue, 0.25f, 0.9f));
            g.fillOval(78, 40, 100, 100);
            g.fillOval(38, 150, 180, 160);
        } finally {
            g.dispose();
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            ImageIO.write(image, "png", out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }
}
