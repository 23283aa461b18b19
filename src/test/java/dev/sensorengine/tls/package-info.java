/** The gRPC server over TLS and mutual TLS, with certificates made in the test. */
package dev.sensorengine.tls;
