package dev.sensorengine.sensors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

class DurationTextTest {

    @Test
    void parsesShortForms() {
        assertThat(DurationText.parse("500ms")).isEqualTo(Duration.ofMillis(500));
        assertThat(DurationText.parse("30s")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationText.parse("5m")).isEqualTo(Duration.ofMinutes(5));
        assertThat(DurationText.parse("2h")).isEqualTo(Duration.ofHours(2));
        assertThat(DurationText.parse("7d")).isEqualTo(Duration.ofDays(7));
    }

    @Test
    void parsesIso8601InAnyCase() {
        assertThat(DurationText.parse("PT1H30M")).isEqualTo(Duration.ofMinutes(90));
        assertThat(DurationText.parse("P1D")).isEqualTo(Duration.ofDays(1));
        assertThat(DurationText.parse("pt5m")).isEqualTo(Duration.ofMinutes(5));
    }

    @Test
    void ignoresSurroundingWhitespace() {
        assertThat(DurationText.parse("  30s\t")).isEqualTo(Duration.ofSeconds(30));
        assertThat(DurationText.parse(" PT2M ")).isEqualTo(Duration.ofMinutes(2));
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "abc", "5x", "-5s", "s", "5 5s", "99999999999999999999s", "9999999999999999d"})
    void rejectsWhatIsNotADurationNamingTheAcceptedForms(String text) {
        assertThatThrownBy(() -> DurationText.parse(text))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("is not a duration")
                .hasMessageContaining("500ms, 30s, 5m, 2h, 7d")
                .hasMessageContaining("ISO-8601");
    }

    @Test
    void formatsAtMostTwoUnits() {
        assertThat(DurationText.format(Duration.ofDays(6).plusHours(23))).isEqualTo("6d23h");
        assertThat(DurationText.format(Duration.ofHours(1).plusMinutes(5))).isEqualTo("1h5m");
        assertThat(DurationText.format(Duration.ofSeconds(30))).isEqualTo("30s");
        assertThat(DurationText.format(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(DurationText.format(Duration.ZERO)).isEqualTo("0s");
        assertThat(DurationText.format(
                        Duration.ofDays(1).plusHours(2).plusMinutes(3).plusSeconds(4)))
                .isEqualTo("1d2h");
        assertThat(DurationText.format(Duration.ofMinutes(5))).isEqualTo("5m");
    }

    @Test
    void formatStopsAtAGapRatherThanSkippingAUnit() {
        assertThat(DurationText.format(Duration.ofDays(1).plusMinutes(5))).isEqualTo("1d");
        assertThat(DurationText.format(Duration.ofHours(2).plusSeconds(7))).isEqualTo("2h");
    }

    @Test
    void formatOfAParsedValueReadsBack() {
        for (String text : new String[] {"500ms", "30s", "5m", "2h", "7d"}) {
            assertThat(DurationText.format(DurationText.parse(text))).isEqualTo(text);
        }
    }

    @Test
    void sensorValuesTakeTheSameFormsAndNameTheKeyOtherwise() {
        SensorValues config = new SensorValues(
                "sensor_config",
                Map.of("ok", " 30s ", "iso", "pt2m", "seconds", 1.5, "huge", "99999999999999999999s", "bad", "5x"));

        assertThat(config.duration("ok", Duration.ZERO)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.duration("iso", Duration.ZERO)).isEqualTo(Duration.ofMinutes(2));
        assertThat(config.duration("seconds", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
        assertThat(config.duration("missing", Duration.ofHours(1))).isEqualTo(Duration.ofHours(1));
        // A number too long for a long is a configuration error like any other, not a NumberFormatException.
        for (String key : List.of("huge", "bad")) {
            assertThatThrownBy(() -> config.duration(key, Duration.ZERO))
                    .isInstanceOf(SensorConfigurationException.class)
                    .hasMessageContaining(key);
        }
    }
}
