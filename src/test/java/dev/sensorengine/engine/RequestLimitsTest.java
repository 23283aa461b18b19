package dev.sensorengine.engine;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

/** Each limit: at the limit passes, one over is refused with a message naming the limit and its flag. */
class RequestLimitsTest {

    private final RequestLimits limits = new RequestLimits(4096, 3, 100, 4, 20_000, 2000);

    @Test
    void inputCount() {
        assertThatCode(() -> limits.checkInputCount(3)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.checkInputCount(4))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("the task has 4 inputs, over the limit of 3 (--max-inputs)");
    }

    @Test
    void inputSize() {
        assertThatCode(() -> limits.checkInputSize("path", 100)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.checkInputSize("path", 101))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("input 'path' is 101 bytes, over the limit of 100 (--max-input-size)");
    }

    @Test
    void depth() {
        assertThatCode(() -> limits.checkInputDepth("cfg", 4)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.checkInputDepth("cfg", 5))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("input 'cfg' nests 5 levels deep, over the limit of 4 (--max-literal-depth)");
        assertThatThrownBy(() -> limits.checkDepth("TaskTemplate.custom", 5))
                .hasMessage("TaskTemplate.custom nests 5 levels deep, over the limit of 4 (--max-literal-depth)");
    }

    @Test
    void resourceMetaSize() {
        assertThatCode(() -> limits.checkResourceMetaSize(20_000)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.checkResourceMetaSize(20_001))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("resource_meta is 20001 bytes, over the limit of 20000 (--max-resource-meta-size)");
    }

    @Test
    void specSize() {
        assertThatCode(() -> limits.checkSpecSize("m.FileSensor", 2000)).doesNotThrowAnyException();
        assertThatThrownBy(() -> limits.checkSpecSize("m.FileSensor", 2001))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessageStartingWith(
                        "the spec of sensor m.FileSensor (its inputs and sensor_config) is 2001 bytes of "
                                + "JSON, over the limit of 2000 (--max-spec-size)");
    }

    @Test
    void aHostileNameIsCutShortInTheMessage() {
        assertThatThrownBy(() -> limits.checkInputSize("n".repeat(100_000), 101))
                .hasMessageStartingWith("input '" + "n".repeat(80) + "…' is 101 bytes");
    }

    @Test
    void limitsMustBePositiveAndAMetaMustHoldASpec() {
        assertThatThrownBy(() -> new RequestLimits(4096, 0, 100, 4, 20_000, 2000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--max-inputs must be greater than 0, got 0");
        assertThatThrownBy(
                        () -> new RequestLimits(4096, 3, 100, 4, 2000 + RequestLimits.RESOURCE_META_HEADROOM - 1, 2000))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(
                        "--max-resource-meta-size (18383) must be at least --max-spec-size (2000) plus");
        assertThatCode(() -> new RequestLimits(4096, 3, 100, 4, 2000 + RequestLimits.RESOURCE_META_HEADROOM, 2000))
                .doesNotThrowAnyException();
    }
}
