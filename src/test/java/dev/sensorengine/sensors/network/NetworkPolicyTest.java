package dev.sensorengine.sensors.network;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;
import org.junit.jupiter.api.Test;

/** CIDR blocks and the default refusals, IPv4, IPv6 and the IPv6 forms that carry an IPv4 address. */
class NetworkPolicyTest {

    private final NetworkPolicy defaults = NetworkPolicy.publicOnly();

    @Test
    void ipv4BlocksContainWhatTheirPrefixCovers() {
        Cidr block = Cidr.parse("10.20.0.0/16");

        assertThat(block.contains(ip("10.20.0.1"))).isTrue();
        assertThat(block.contains(ip("10.20.255.255"))).isTrue();
        assertThat(block.contains(ip("10.21.0.0"))).isFalse();
        assertThat(block.contains(ip("::ffff:a14:1")))
                .as("Java reads a mapped literal as IPv4")
                .isTrue();
        assertThat(block.contains(ip("fe80::1"))).as("another family").isFalse();
        assertThat(Cidr.parse("10.20.30.40/16")).as("host bits are cleared").isEqualTo(block);
        assertThat(Cidr.parse("10.20.30.40/16")).hasToString("10.20.0.0/16");
        assertThat(Cidr.parse("127.0.0.1")).hasToString("127.0.0.1/32");
        assertThat(Cidr.parse("0.0.0.0/0").contains(ip("203.0.113.9"))).isTrue();
        assertThat(Cidr.parse("172.16.0.0/12").contains(ip("172.31.255.255"))).isTrue();
        assertThat(Cidr.parse("172.16.0.0/12").contains(ip("172.32.0.0"))).isFalse();
    }

    @Test
    void ipv6BlocksContainWhatTheirPrefixCovers() {
        Cidr block = Cidr.parse("fd00:10::/32");

        assertThat(block.contains(ip("fd00:10::1"))).isTrue();
        assertThat(block.contains(ip("fd00:10:ffff::1"))).isTrue();
        assertThat(block.contains(ip("fd00:11::1"))).isFalse();
        assertThat(block.contains(ip("10.0.0.1"))).isFalse();
        assertThat(Cidr.parse("[::1]")).hasToString("::1/128");
        assertThat(Cidr.parse("fe80::1/10").contains(ip("febf::1"))).isTrue();
        assertThat(Cidr.parse("2001:db8:0:0:1:0:0:1")).hasToString("2001:db8::1:0:0:1/128");
        assertThat(Cidr.parse("1:0:2:3:4:5:6:7")).hasToString("1:0:2:3:4:5:6:7/128");
        assertThat(Cidr.parse("fe80::1/10").contains(ip("fec0::1"))).isFalse();
    }

    @Test
    void badBlocksAreRefusedSayingWhatIsAccepted() {
        for (String bad : List.of(
                "10.0.0.0/33",
                "fd00::/129",
                "10.0.0.0/",
                "10.0.0.0/x",
                "localhost",
                "10.0.0",
                "300.1.1.1/8",
                "::ffff:10.0.0.0/104",
                "")) {
            assertThatThrownBy(() -> Cidr.parse(bad))
                    .as(bad)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("'" + bad + "'");
        }
        assertThatThrownBy(() -> NetworkPolicy.allowing(List.of("10.0.0.0/8", "intranet")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--allow-network: 'intranet' is not an IP address or CIDR block such as 10.0.0.0/8, "
                        + "127.0.0.1 or fd00::/8");
    }

    @Test
    void specialAddressesAreRefusedByDefaultAndPublicOnesAllowed() {
        assertRefused("127.0.0.1", "a loopback", "127.0.0.0/8");
        assertRefused("127.255.0.9", "a loopback", "127.0.0.0/8");
        assertRefused("::1", "a loopback", "::1/128");
        assertRefused("169.254.169.254", "the cloud metadata", "169.254.169.254/32");
        assertRefused("169.254.1.1", "a link-local", "169.254.0.0/16");
        assertRefused("fe80::1", "a link-local", "fe80::/10");
        assertRefused("10.1.2.3", "a private", "10.0.0.0/8");
        assertRefused("172.20.0.1", "a private", "172.16.0.0/12");
        assertRefused("192.168.1.1", "a private", "192.168.0.0/16");
        assertRefused("fd12:3456::1", "a private (unique local)", "fc00::/7");
        assertRefused("100.64.0.1", "a carrier-grade NAT (CGNAT)", "100.64.0.0/10");
        assertRefused("0.0.0.0", "an unspecified (this-network)", "0.0.0.0/8");
        assertRefused("::", "an unspecified", "::/128");
        assertRefused("224.0.0.251", "a multicast", "224.0.0.0/4");
        assertRefused("ff02::1", "a multicast", "ff00::/8");
        assertRefused("198.18.0.1", "a benchmarking (RFC 2544)", "198.18.0.0/15");
        assertRefused("198.19.255.254", "a benchmarking (RFC 2544)", "198.18.0.0/15");
        assertRefused("240.0.0.1", "a reserved (former class E) or broadcast", "240.0.0.0/4");
        assertRefused("255.255.255.255", "a reserved (former class E) or broadcast", "240.0.0.0/4");
        // 6to4 and Teredo reach an IPv4 relay (Teredo's address is obfuscated): refused whole.
        assertRefused("2002:7f00:1::1", "a 6to4", "2002::/16");
        assertRefused("2001:0:4136:e378:8000:63bf:3fff:fdd2", "a Teredo", "2001::/32");

        for (String open : List.of(
                "203.0.113.9",
                "8.8.8.8",
                "100.128.0.1",
                "172.32.0.1",
                "198.20.0.1",
                "223.255.255.255",
                "2001:db8::1",
                "2001:1::1",
                "2003::1",
                "2606:4700::1111")) {
            assertThat(defaults.judge(ip(open))).as(open).isEmpty();
        }
    }

    @Test
    void ipv6FormsOfAnIpv4AddressAreJudgedAsThatAddress() {
        // Mapped: Java already answers these as IPv4.
        assertRefused("::ffff:127.0.0.1", "a loopback", "127.0.0.0/8");
        assertRefused("::ffff:169.254.169.254", "the cloud metadata", "169.254.169.254/32");
        // Compatible and NAT64 stay IPv6 in Java, but their packets go to the IPv4 address.
        assertRefused("::127.0.0.1", "a loopback", "127.0.0.0/8");
        assertRefused("::10.0.0.1", "a private", "10.0.0.0/8");
        assertRefused("64:ff9b::a9fe:a9fe", "the cloud metadata", "169.254.169.254/32");
        assertThat(defaults.judge(ip("64:ff9b::808:808")))
                .as("NAT64 of 8.8.8.8")
                .isEmpty();

        NetworkPolicy.Refusal refusal = defaults.judge(ip("::7f00:1")).orElseThrow();
        assertThat(refusal.message("http://[::7f00:1]/x"))
                .isEqualTo("http://[::7f00:1]/x resolves to "
                        + "::7f00:1 (127.0.0.1), a loopback address; admit it with --allow-network 127.0.0.0/8");
    }

    @Test
    void allowedBlocksAdmitTheirAddressesInEveryForm() {
        NetworkPolicy policy = NetworkPolicy.allowing(List.of("127.0.0.1/32", "10.20.0.0/16", "fd00::/8"));

        assertThat(policy.judge(ip("127.0.0.1"))).isEmpty();
        assertThat(policy.judge(ip("::127.0.0.1"))).isEmpty();
        assertThat(policy.judge(ip("::ffff:127.0.0.1"))).isEmpty();
        assertThat(policy.judge(ip("127.0.0.2"))).isPresent();
        assertThat(policy.judge(ip("10.20.3.4"))).isEmpty();
        assertThat(policy.judge(ip("10.21.3.4"))).isPresent();
        assertThat(policy.judge(ip("fd00::5"))).isEmpty();
        assertThat(policy.judge(ip("fc00::5"))).isPresent();
        assertThat(policy.judge(ip("::1"))).isPresent();
        assertThat(policy).isEqualTo(NetworkPolicy.allowing(List.of("127.0.0.1", "10.20.9.9/16", "fd00::/8")));
    }

    @Test
    void aRefusalNamesTheTargetTheAddressTheRangeAndTheFlag() {
        NetworkPolicy.Refusal refusal = defaults.judge(ip("127.0.0.1")).orElseThrow();

        assertThat(refusal.message("http://localhost:8080/x"))
                .isEqualTo("http://localhost:8080/x resolves to "
                        + "127.0.0.1, a loopback address; admit it with --allow-network 127.0.0.0/8");
    }

    private void assertRefused(String address, String kind, String block) {
        assertThat(defaults.judge(ip(address))).as(address).hasValueSatisfying(refusal -> {
            assertThat(refusal.kind()).isEqualTo(kind);
            assertThat(refusal.block()).hasToString(block);
        });
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }
}
