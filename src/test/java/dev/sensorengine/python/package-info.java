/**
 * Custom Python sensors end to end: flytekit's own requests for its {@code BaseSensor} subclasses, the whole service
 * in the test JVM, the real Temporal dev server and the Python sensor worker ({@code python/}) as a real process.
 */
package dev.sensorengine.python;
