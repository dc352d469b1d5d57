package dev.tandem.identity;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** CIDR ranges ({@code 10.0.0.0/8}, {@code 2001:db8::/32}, or a single address) and whether an address is in one. */
public final class Cidrs {

    private Cidrs() {
    }

    /**
     * Checks a range's syntax.
     *
     * @throws IllegalArgumentException naming the range and what is wrong
     */
    public static void validate(String cidr) {
        parse(cidr);
    }

    /** True when {@code address} (an IP literal) lies in one of {@code cidrs}; an empty list allows everything. */
    public static boolean allows(List<String> cidrs, String address) {
        if (cidrs.isEmpty()) {
            return true;
        }
        byte[] ip;
        try {
            ip = literal(address).getAddress();
        } catch (IllegalArgumentException e) {
            return false;
        }
        for (String cidr : cidrs) {
            Range r = parse(cidr);
            if (r.contains(ip)) {
                return true;
            }
        }
        return false;
    }

    private record Range(byte[] network, int bits) {
        boolean contains(byte[] ip) {
            if (ip.length != network.length) {
                return false;
            }
            int full = bits / 8;
            for (int i = 0; i < full; i++) {
                if (ip[i] != network[i]) {
                    return false;
                }
            }
            int rest = bits % 8;
            if (rest == 0) {
                return true;
            }
            int mask = (0xFF << (8 - rest)) & 0xFF;
            return (ip[full] & mask) == (network[full] & mask);
        }
    }

    private static Range parse(String cidr) {
        String text = cidr.trim();
        int slash = text.indexOf('/');
        byte[] network = literal(slash < 0 ? text : text.substring(0, slash)).getAddress();
        int max = network.length * 8;
        int bits = max;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("'" + cidr + "' is not a CIDR range: the prefix length is not a number");
            }
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("'" + cidr + "' is not a CIDR range: the prefix length must be 0 to "
                        + max);
            }
        }
        return new Range(network, bits);
    }

    /** Parses an IP literal without any name lookup. */
    private static InetAddress literal(String text) {
        String t = text.trim();
        boolean v4 = t.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = t.contains(":") && t.matches("[0-9A-Fa-f:.%a-zA-Z]+");
        if (!v4 && !v6) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
        try {
            return InetAddress.getByName(t.startsWith("[") ? t.substring(1, t.length() - 1) : t);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("'" + text + "' is not an IP address");
        }
    }
}
