package dev.sensorengine.sensors.network;

import java.math.BigInteger;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Arrays;
import java.util.regex.Pattern;

/**
 * A block of IPv4 or IPv6 addresses, {@code 10.0.0.0/8} or {@code fc00::/7}; an address alone is a block of one
 * ({@code /32}, {@code /128}). Parsing takes address literals only, so it never asks DNS.
 *
 * @param network the first address of the block (host bits cleared)
 * @param prefix how many leading bits every address of the block shares
 */
public record Cidr(InetAddress network, int prefix) {

    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    public Cidr {
        int bits = bits(network);
        if (prefix < 0 || prefix > bits) {
            throw new IllegalArgumentException(
                    "prefix /" + prefix + " is out of range for " + network.getHostAddress());
        }
        network = address(masked(network, prefix), network instanceof Inet4Address);
    }

    /**
     * @param text {@code address/prefix} or an address alone
     * @throws IllegalArgumentException saying what is wrong, e.g. "'10.0.0.0/33' has a prefix over 32"
     */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
        InetAddress address = literal(host, trimmed);
        int bits = bits(address);
        int prefix = bits;
        if (slash >= 0) {
            String digits = trimmed.substring(slash + 1);
            if (!digits.matches("\\d{1,3}") || Integer.parseInt(digits) > bits) {
                throw new IllegalArgumentException("'" + trimmed + "' needs a prefix from 0 to " + bits
                        + " after the /, e.g. " + (bits == 32 ? "10.0.0.0/8" : "fc00::/7"));
            }
            prefix = Integer.parseInt(digits);
        }
        return new Cidr(address, prefix);
    }

    /** True when {@code address} is of the same family and within the block. */
    public boolean contains(InetAddress address) {
        if (address.getAddress().length != network.getAddress().length) {
            return false;
        }
        return masked(address, prefix).equals(new BigInteger(1, network.getAddress()));
    }

    @Override
    public String toString() {
        return text(network) + "/" + prefix;
    }

    /** An address as people write it: IPv6 with its longest run of zero groups as {@code ::} (RFC 5952). */
    public static String text(InetAddress address) {
        String full = address.getHostAddress();
        int zone = full.indexOf('%');
        if (address instanceof Inet4Address) {
            return full;
        }
        String[] groups = (zone < 0 ? full : full.substring(0, zone)).split(":");
        int bestStart = -1;
        int bestLength = 1; // a single zero group stays "0"
        for (int start = 0; start < groups.length; start++) {
            int length = 0;
            while (start + length < groups.length && groups[start + length].equals("0")) {
                length++;
            }
            if (length > bestLength) {
                bestStart = start;
                bestLength = length;
            }
        }
        if (bestStart < 0) {
            return String.join(":", groups);
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    private static InetAddress literal(String host, String whole) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        // Only literals: InetAddress.getByName would look anything else up in DNS.
        if (IPV4.matcher(bare).matches() || bare.contains(":")) {
            try {
                InetAddress address = InetAddress.getByName(bare);
                // Java answers ::ffff:a.b.c.d as an IPv4 address; a block written that way would be a different
                // size than it reads, so it is refused rather than guessed.
                if (bare.contains(":") && address instanceof Inet4Address) {
                    throw new IllegalArgumentException("'" + whole + "' is an IPv4-mapped IPv6 block; write it as "
                            + "IPv4, e.g. " + address.getHostAddress() + "/32");
                }
                return address;
            } catch (UnknownHostException e) {
                // Falls through to the message below.
            }
        }
        throw new IllegalArgumentException(
                "'" + whole + "' is not an IP address or CIDR block such as " + "10.0.0.0/8, 127.0.0.1 or fd00::/8");
    }

    private static int bits(InetAddress address) {
        return address.getAddress().length * 8;
    }

    private static BigInteger masked(InetAddress address, int prefix) {
        int bits = bits(address);
        BigInteger value = new BigInteger(1, address.getAddress());
        BigInteger hostMask = BigInteger.ONE.shiftLeft(bits - prefix).subtract(BigInteger.ONE);
        return value.andNot(hostMask);
    }

    private static InetAddress address(BigInteger value, boolean ipv4) {
        int length = ipv4 ? 4 : 16;
        byte[] raw = value.toByteArray();
        byte[] bytes = new byte[length];
        // toByteArray may carry a leading sign byte or be shorter than the address: copy from the right.
        int copy = Math.min(raw.length, length);
        System.arraycopy(raw, raw.length - copy, bytes, length - copy, copy);
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
