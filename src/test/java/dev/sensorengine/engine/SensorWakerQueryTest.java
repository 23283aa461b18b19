package dev.sensorengine.engine;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The visibility query an event asks: its exact sensors, and the non-exact ones of its bucket. */
class SensorWakerQueryTest {

    @Test
    void anObjectInABucketAsksForItsExactSensorsAndTheBucketsOthers() {
        assertThat(SensorWaker.query("s3://b/in/k"))
                .isEqualTo("WorkflowType = 'FlyteSensor' AND ExecutionStatus = 'Running' AND (SensorTarget = "
                        + "'s3://b/in/k' OR (SensorBucket = 's3://b' AND SensorMatch != 'exact'))");
    }

    @Test
    void anObjectWithoutABucketAsksForItsExactSensorsOnly() {
        assertThat(SensorWaker.query("relative/k"))
                .isEqualTo("WorkflowType = 'FlyteSensor' AND ExecutionStatus = 'Running' AND SensorTarget = "
                        + "'relative/k'");
    }

    @Test
    void aQuoteStaysInsideTheLiteral() {
        assertThat(SensorWaker.quote("it's")).isEqualTo("'it\\'s'");
    }

    @Test
    void anObjectWithABackslashIsLookedUpByThePartBeforeIt() {
        assertThat(SensorWaker.query("s3://b/a\\b"))
                .isEqualTo("WorkflowType = 'FlyteSensor' AND ExecutionStatus = 'Running' AND (SensorTarget STARTS_WITH "
                        + "'s3://b/a' OR (SensorBucket = 's3://b' AND SensorMatch != 'exact'))");
    }
}
