package dev.sensorengine.sensors.network;

import inet.ipaddr.AddressStringException;
import inet.ipaddr.AddressStringParameters;
import inet.ipaddr.IPAddress;
import inet.ipaddr.IPAddressString;
import inet.ipaddr.IPAddressStringParameters;
import inet.ipaddr.ipv6.IPv6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * A block of IPv4 or IPv6 addresses, {@code 10.0.0.0/8} or {@code fc00::/7}; an address alone is a block of one
 * ({@code /32}, {@code /128}). Parsing and matching are the IPAddress library's; parsing takes address literals in
 * their standard forms only, so it never asks DNS and never reads {@code 10.0.0} as {@code 10.0.0.0}.
 *
 * @param network the first address of the block (host bits cleared)
 * @param prefix how many leading bits every address of the block shares
 */
public record Cidr(InetAddress network, int prefix) {

    /** Literal addresses as people write them in a flag: no host names, no inet_aton shorthands, no wildcards. */
    private static final IPAddressStringParameters LITERALS = literals();

    public Cidr {
        IPAddress block = block(of(network), prefix);
        network = block.getLower().toInetAddress();
    }

    /**
     * @param text {@code address/prefix} or an address alone
     * @throws IllegalArgumentException saying what is wrong, e.g. "'10.0.0.0/33' needs a prefix from 0 to 32"
     */
    public static Cidr parse(String text) {
        String trimmed = text.trim();
        int slash = trimmed.indexOf('/');
        String host = slash < 0 ? trimmed : trimmed.substring(0, slash);
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        IPAddress address;
        try {
            address = new IPAddressString(bare, LITERALS).toAddress();
        } catch (AddressStringException e) {
            throw new IllegalArgumentException("'" + trimmed + "' is not an IP address or CIDR block such as "
                    + "10.0.0.0/8, 127.0.0.1 or fd00::/8");
        }
        if (address.isIPv6() && ((IPv6Address) address).isIPv4Mapped()) {
            // Java answers ::ffff:a.b.c.d as an IPv4 address; a block written that way would be a different size
            // than it reads, so it is refused rather than guessed.
            throw new IllegalArgumentException("'" + trimmed + "' is an IPv4-mapped IPv6 block; write it as IPv4, e.g. "
                    + ((IPv6Address) address).getEmbeddedIPv4Address() + "/32");
        }
        int bits = address.getBitCount();
        int prefix = bits;
        if (slash >= 0) {
            String digits = trimmed.substring(slash + 1);
            if (!digits.matches("\\d{1,3}") || Integer.parseInt(digits) > bits) {
                throw new IllegalArgumentException("'" + trimmed + "' needs a prefix from 0 to " + bits
                        + " after the /, e.g. " + (bits == 32 ? "10.0.0.0/8" : "fc00::/7"));
            }
            prefix = Integer.parseInt(digits);
        }
        return new Cidr(address.toInetAddress(), prefix);
    }

    /** True when {@code address} is of the same family and within the block. */
    public boolean contains(InetAddress address) {
        IPAddress candidate = of(address);
        IPAddress block = block(of(network), prefix);
        return candidate.getIPVersion() == block.getIPVersion() && block.contains(candidate);
    }

    @Override
    public String toString() {
        return text(network) + "/" + prefix;
    }

    /** An address as people write it: IPv6 compressed, its longest run of zero groups as {@code ::} (RFC 5952). */
    public static String text(InetAddress address) {
        return of(address).withoutPrefixLength().toCanonicalString();
    }

    /** The IPAddress form of a JDK address. */
    static IPAddress of(InetAddress address) {
        try {
            return new IPAddressString(address.getHostAddress().replaceFirst("%.*$", ""), LITERALS)
                    .toAddress()
                    .withoutPrefixLength();
        } catch (AddressStringException e) {
            throw new IllegalStateException("the JDK printed an address IPAddress does not read: " + address, e);
        }
    }

    private static IPAddress block(IPAddress address, int prefix) {
        if (prefix < 0 || prefix > address.getBitCount()) {
            throw new IllegalArgumentException("prefix /" + prefix + " is out of range for " + address);
        }
        return address.setPrefixLength(prefix, false).toPrefixBlock();
    }

    private static IPAddressStringParameters literals() {
        IPAddressStringParameters.Builder builder = new IPAddressStringParameters.Builder()
                .allowEmpty(false)
                .allowAll(false)
                .allowMask(false)
                .allowSingleSegment(false)
                .allowPrefixOnly(false)
                .allowWildcardedSeparator(false)
                .setRangeOptions(AddressStringParameters.RangeParameters.NO_RANGE)
                .allow_inet_aton(false);
        builder.getIPv4AddressParametersBuilder().allowLeadingZeros(false);
        return builder.toParams();
    }

    /** The JDK form of an IPAddress address. */
    static InetAddress jdk(IPAddress address) {
        try {
            return InetAddress.getByAddress(address.getBytes());
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
