/**
 * Process tests, run by failsafe after {@code package}: the built jar as real OS processes, killed, stopped and
 * extended with a sensor jar.
 */
package dev.sensorengine.it;
