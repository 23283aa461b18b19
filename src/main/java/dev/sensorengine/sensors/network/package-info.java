/**
 * What a sensor may reach on the network ({@link dev.sensorengine.sensors.network.NetworkPolicy}: public addresses,
 * plus the blocks of {@code --allow-network}) and what a location names (its scheme and endpoint, the key of rate
 * limits). Both HTTP and object stores use it, so it sits apart from both.
 *
 * <p>May import: the JDK and the IPAddress library ({@code inet.ipaddr}), which parses and matches addresses.
 */
package dev.sensorengine.sensors.network;
