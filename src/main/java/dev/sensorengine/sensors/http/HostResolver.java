package dev.sensorengine.sensors.http;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.List;

/** Turns a host name (or address literal) into addresses; a seam so tests can answer as a rebinding DNS would. */
@FunctionalInterface
public interface HostResolver {

    /** The JVM's resolver: hosts file, then DNS; literals are parsed without a lookup. */
    HostResolver SYSTEM = host -> List.of(InetAddress.getAllByName(host));

    /** @throws UnknownHostException when the name has no address */
    List<InetAddress> resolve(String host) throws UnknownHostException;
}
