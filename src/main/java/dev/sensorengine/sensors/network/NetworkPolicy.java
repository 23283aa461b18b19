package dev.sensorengine.sensors.network;

import inet.ipaddr.ipv6.IPv6Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Which addresses sensors may reach at URLs a task supplies ({@code serve --allow-network}). Public addresses
 * are allowed; loopback, link-local (with the cloud metadata address 169.254.169.254), private, CGNAT,
 * benchmarking, reserved, broadcast, unspecified and multicast addresses and the 6to4 and Teredo tunnel prefixes
 * are refused unless an allowed block contains them. An IPv6 address that
 * embeds an IPv4 one (mapped {@code ::ffff:a.b.c.d}, compatible {@code ::a.b.c.d}, NAT64 {@code 64:ff9b::a.b.c.d})
 * is judged as that IPv4 address, since that is where its packets go.
 *
 * <p>The policy judges addresses, never names: callers resolve first and check every address they got.
 */
public final class NetworkPolicy {

    /** The option that admits a refused block, named in every refusal. */
    public static final String OPTION = "--allow-network";

    /** A block refused by default, and what kind of address it holds (for messages). */
    private record Special(Cidr block, String kind) {
        Special(String block, String kind) {
            this(Cidr.parse(block), kind);
        }
    }

    private static final List<Special> SPECIAL = List.of(
            new Special("0.0.0.0/8", "an unspecified (this-network)"),
            new Special("127.0.0.0/8", "a loopback"),
            new Special("169.254.169.254/32", "the cloud metadata"),
            new Special("169.254.0.0/16", "a link-local"),
            new Special("10.0.0.0/8", "a private"),
            new Special("172.16.0.0/12", "a private"),
            new Special("192.168.0.0/16", "a private"),
            new Special("100.64.0.0/10", "a carrier-grade NAT (CGNAT)"),
            new Special("198.18.0.0/15", "a benchmarking (RFC 2544)"),
            new Special("224.0.0.0/4", "a multicast"),
            new Special("240.0.0.0/4", "a reserved (former class E) or broadcast"),
            new Special("::/128", "an unspecified"),
            new Special("::1/128", "a loopback"),
            new Special("fe80::/10", "a link-local"),
            new Special("fc00::/7", "a private (unique local)"),
            // Both tunnel IPv6 through IPv4 relays, whose IPv4 ends may be anywhere (Teredo's is obfuscated).
            new Special("2002::/16", "a 6to4"),
            new Special("2001::/32", "a Teredo"),
            new Special("ff00::/8", "a multicast"));

    private static final Cidr NAT64 = Cidr.parse("64:ff9b::/96");

    private final List<Cidr> allowed;

    public NetworkPolicy(List<Cidr> allowed) {
        this.allowed = List.copyOf(allowed);
    }

    /** Public addresses only: the default. */
    public static NetworkPolicy publicOnly() {
        return new NetworkPolicy(List.of());
    }

    /**
     * @param blocks CIDR blocks or single addresses, as given to {@value #OPTION}
     * @throws IllegalArgumentException naming the option and the block that does not parse
     */
    public static NetworkPolicy allowing(List<String> blocks) {
        return new NetworkPolicy(blocks.stream()
                .filter(block -> !block.isBlank())
                .map(block -> {
                    try {
                        return Cidr.parse(block);
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException(OPTION + ": " + e.getMessage(), e);
                    }
                })
                .toList());
    }

    public List<Cidr> allowed() {
        return allowed;
    }

    /**
     * Why {@code address} may not be reached, or empty when it may.
     */
    public Optional<Refusal> judge(InetAddress address) {
        InetAddress effective = embeddedIpv4(address).orElse(address);
        if (allowed.stream().anyMatch(block -> block.contains(address) || block.contains(effective))) {
            return Optional.empty();
        }
        return SPECIAL.stream()
                .filter(special -> special.block().contains(effective))
                .findFirst()
                .map(special -> new Refusal(address, effective, special.kind(), special.block()));
    }

    /**
     * An address a sensor may not reach, and why.
     *
     * @param effective the IPv4 address an IPv6 form carries, else {@code address}
     * @param kind e.g. "a loopback"
     * @param block the refused block that holds it, the one to admit
     */
    public record Refusal(InetAddress address, InetAddress effective, String kind, Cidr block) {

        /** "http://localhost:8080/x resolves to 127.0.0.1, a loopback address; admit it with --allow-network 127.0.0.0/8". */
        public String message(String target) {
            String shown = Cidr.text(address) + (effective.equals(address) ? "" : " (" + Cidr.text(effective) + ")");
            return target + " resolves to " + shown + ", " + kind + " address; admit it with " + OPTION + " " + block;
        }
    }

    /** The IPv4 address an IPv4-mapped, IPv4-compatible or NAT64 IPv6 address stands for. */
    static Optional<InetAddress> embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address)) {
            return Optional.empty();
        }
        IPv6Address ipv6 = (IPv6Address) Cidr.of(address);
        // ::0 and ::1 are IPv6's own unspecified and loopback addresses, not IPv4-compatible ones.
        boolean compatible = ipv6.isIPv4Compatible() && !ipv6.isUnspecified() && !ipv6.isLoopback();
        if (!ipv6.isIPv4Mapped() && !compatible && !NAT64.contains(address)) {
            return Optional.empty();
        }
        return Optional.of(Cidr.jdk(ipv6.getEmbeddedIPv4Address()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof NetworkPolicy policy && allowed.equals(policy.allowed);
    }

    @Override
    public int hashCode() {
        return allowed.hashCode();
    }

    @Override
    public String toString() {
        return allowed.isEmpty() ? "public addresses only" : "public addresses and " + allowed;
    }
}
