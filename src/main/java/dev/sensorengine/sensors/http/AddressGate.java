package dev.sensorengine.sensors.http;

import dev.sensorengine.sensors.SensorConfigurationException;
import dev.sensorengine.sensors.network.NetworkPolicy;
import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Optional;

/**
 * Resolves the host of one request once, judges every address it got, and hands back the address to connect to.
 * The caller connects to exactly that address (pinned in Apache's {@code HttpHost}), so a DNS answer that changes
 * between check and connect (rebinding) never reaches a refused address: there is no second lookup.
 */
final class AddressGate {

    private final HostResolver resolver;

    AddressGate(HostResolver resolver) {
        this.resolver = resolver;
    }

    /**
     * @param policy the policy to judge by; empty for a target the operator chose (under a connection's url)
     * @param subject how messages name the request, e.g. "http://localhost:8080/x"
     * @throws SensorConfigurationException when any address is refused, naming it, its block and the option
     * @throws UnknownHostException when the name has no address
     */
    InetAddress pin(URI uri, Optional<NetworkPolicy> policy, String subject) throws UnknownHostException {
        List<InetAddress> addresses = resolver.resolve(bare(uri.getHost()));
        if (addresses.isEmpty()) {
            throw new UnknownHostException(uri.getHost());
        }
        if (policy.isPresent()) {
            // Every address, not just the one used: a name that also resolves inward is refused as a whole, so
            // the outcome does not depend on which address a later connection would pick.
            for (InetAddress address : addresses) {
                Optional<NetworkPolicy.Refusal> refusal = policy.get().judge(address);
                if (refusal.isPresent()) {
                    throw new SensorConfigurationException(refusal.get().message(subject));
                }
            }
        }
        return addresses.get(0);
    }

    /** {@code [::1]} (as URIs spell IPv6 hosts) to {@code ::1}. */
    static String bare(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }
}
