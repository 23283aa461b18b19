/**
 * End-to-end tests: the whole service in the test JVM, driven over real gRPC on a socket, with real sensors against
 * real files and HTTP servers.
 */
package dev.sensorengine.e2e;
