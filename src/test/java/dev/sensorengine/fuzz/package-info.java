/**
 * API fuzzing (jqwik): raw, hostile and mutated requests against the real service over gRPC, and one regression
 * test per bug the fuzzer found.
 */
package dev.sensorengine.fuzz;
