/*
 * A fast OpenAI-compatible upstream for gateway benchmarks: answers POST /v1/chat/completions at once, with a
 * fixed completion, or, when the request says "stream": true, with a fixed SSE stream of N content chunks, a
 * finish chunk, a usage chunk and [DONE]. HTTP/1.1 keep-alive, one virtual thread per connection, responses
 * pre-rendered: its own cost is as small as we can make it, so what a gateway in front adds stands out.
 *
 * Run: java bench/upstream/FastUpstream.java [port] [chunks]     (defaults 9101, 64)
 */
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

public class FastUpstream {

    public static void main(String[] args) throws IOException {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 9101;
        int chunks = args.length > 1 ? Integer.parseInt(args[1]) : 64;
        byte[] plain = response("application/json", completion());
        byte[] stream = response("text/event-stream", sse(chunks));
        try (ServerSocket server = new ServerSocket(port, 4096, InetAddress.getLoopbackAddress())) {
            System.out.println("FastUpstream on 127.0.0.1:" + port + ", " + chunks + " chunks per stream");
            while (true) {
                Socket socket = server.accept();
                Thread.ofVirtual().start(() -> serve(socket, plain, stream));
            }
        }
    }

    static String completion() {
        return "{\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion\",\"created\":1700000000,\"model\":\"bench\","
                + "\"choices\":[{\"index\":0,\"message\":{\"role\":\"assistant\",\"content\":\"Hello! How can I help you "
                + "today?\"},\"finish_reason\":\"stop\"}],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":9,"
                + "\"total_tokens\":21}}";
    }

    static String sse(int chunks) {
        StringBuilder sb = new StringBuilder();
        String head = "data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"bench\",\"choices\":[{\"index\":0,\"delta\":";
        sb.append(head).append("{\"role\":\"assistant\",\"content\":\"\"},\"finish_reason\":null}]}\n\n");
        for (int i = 0; i < chunks; i++) {
            sb.append(head).append("{\"content\":\"tok").append(i).append(' ').append("\"},\"finish_reason\":null}]}\n\n");
        }
        sb.append(head).append("{},\"finish_reason\":\"stop\"}]}\n\n");
        sb.append("data: {\"id\":\"chatcmpl-bench\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,"
                + "\"model\":\"bench\",\"choices\":[],\"usage\":{\"prompt_tokens\":12,\"completion_tokens\":" + chunks
                + ",\"total_tokens\":" + (12 + chunks) + "}}\n\n");
        sb.append("data: [DONE]\n\n");
        return sb.toString();
    }

    static byte[] response(String contentType, String body) {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        String head = "HTTP/1.1 200 OK\r\ncontent-type: " + contentType + "\r\ncontent-length: " + b.length
                + "\r\nconnection: keep-alive\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = new byte[h.length + b.length];
        System.arraycopy(h, 0, all, 0, h.length);
        System.arraycopy(b, 0, all, h.length, b.length);
        return all;
    }

    static void serve(Socket socket, byte[] plain, byte[] stream) {
        try (socket; InputStream in = new BufferedInputStream(socket.getInputStream(), 65536);
                OutputStream out = socket.getOutputStream()) {
            socket.setTcpNoDelay(true);
            byte[] line = new byte[8192];
            while (true) {
                int contentLength = 0;
                boolean first = true;
                while (true) {
                    int n = readLine(in, line);
                    if (n < 0) {
                        return;
                    }
                    if (n == 0) {
                        if (first) {
                            continue;
                        }
                        break;
                    }
                    first = false;
                    String header = new String(line, 0, n, StandardCharsets.US_ASCII);
                    if (header.regionMatches(true, 0, "content-length:", 0, 15)) {
                        contentLength = Integer.parseInt(header.substring(15).trim());
                    }
                }
                byte[] body = in.readNBytes(contentLength);
                out.write(isStream(body) ? stream : plain);
                out.flush();
            }
        } catch (IOException | RuntimeException gone) {
            // client closed the connection
        }
    }

    static boolean isStream(byte[] body) {
        String s = new String(body, StandardCharsets.UTF_8);
        int i = s.indexOf("\"stream\"");
        if (i < 0) {
            return false;
        }
        int colon = s.indexOf(':', i);
        return colon > 0 && s.startsWith("true", skipSpaces(s, colon + 1));
    }

    static int skipSpaces(String s, int i) {
        while (i < s.length() && s.charAt(i) == ' ') {
            i++;
        }
        return i;
    }

    static int readLine(InputStream in, byte[] line) throws IOException {
        int n = 0;
        while (true) {
            int b = in.read();
            if (b < 0) {
                return n == 0 ? -1 : n;
            }
            if (b == '\n') {
                return n > 0 && line[n - 1] == '\r' ? n - 1 : n;
            }
            if (n < line.length) {
                line[n++] = (byte) b;
            }
        }
    }
}
