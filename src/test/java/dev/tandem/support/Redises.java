package dev.tandem.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import org.junit.jupiter.api.Assumptions;

/**
 * The Redis server of the development and CI machines ({@code TANDEM_TEST_REDIS}, default {@code 127.0.0.1:6379})
 * with a fresh key prefix per use, so runs never see each other's keys (every key Tandem writes expires); tests
 * skip with a visible reason where none answers.
 */
public final class Redises {

    private Redises() {
    }

    /** A Redis URL and a prefix no other run uses. */
    public record Fresh(String url, String prefix) {
    }

    public static Fresh fresh() {
        String hostPort = System.getenv().getOrDefault("TANDEM_TEST_REDIS", "127.0.0.1:6379");
        String[] hp = hostPort.split(":");
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(hp[0], Integer.parseInt(hp[1])), 1000);
            s.setSoTimeout(1000);
            OutputStream out = s.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            byte[] reply = new byte[7];
            int n = in.read(reply);
            if (n < 5 || !new String(reply, 0, n, StandardCharsets.US_ASCII).startsWith("+PONG")) {
                Assumptions.abort("skipped: " + hostPort + " does not answer PING like Redis");
            }
        } catch (IOException e) {
            Assumptions.abort("skipped: no Redis at " + hostPort + " (" + e.getMessage() + ")");
        }
        return new Fresh("redis://" + hostPort, "tandem-test-" + UUID.randomUUID().toString().substring(0, 8) + ":");
    }
}
