/**
 * Temporal cut off or restarted under load while the service keeps running: failures are UNAVAILABLE within their
 * deadline, no sensor is lost, and threads return to their level.
 */
package dev.sensorengine.outage;
