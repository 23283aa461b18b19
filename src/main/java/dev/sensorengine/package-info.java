/**
 * The entry point: {@link dev.sensorengine.Main} assembles the command line from {@code runtime}'s commands and the
 * benchmark's, so that neither of those packages needs the other's.
 */
package dev.sensorengine;
