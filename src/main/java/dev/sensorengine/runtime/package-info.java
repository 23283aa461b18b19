/**
 * The process: the command line ({@code serve}, {@code temporal}, {@code client}), configuration in groups, the
 * Temporal connection (embedded or external), the worker, metrics, readiness, logging and shutdown. It wires the other
 * packages together by their constructors and is the only package that knows them all.
 *
 * <p>May import: every package of this project but {@code bench}. Imported by {@code bench} and the entry point.
 */
package dev.sensorengine.runtime;
