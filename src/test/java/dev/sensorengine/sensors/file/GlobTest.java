package dev.sensorengine.sensors.file;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.sensors.SensorConfigurationException;
import org.junit.jupiter.api.Test;

class GlobTest {

    @Test
    void starStaysInOneSegmentAndDoubleStarCrossesThem() {
        Glob glob = Glob.compile("dt=2026-11-28/*.parquet");

        assertThat(glob.matches("dt=2026-11-28/part-0.parquet")).isTrue();
        assertThat(glob.matches("dt=2026-11-28/sub/part-0.parquet")).isFalse();
        assertThat(glob.matches("dt=2026-11-28/part-0.parquet.tmp")).isFalse();
        assertThat(Glob.compile("logs/**/*.gz").matches("logs/a/b/c.gz")).isTrue();
        assertThat(Glob.compile("logs/**/*.gz").matches("logs/c.gz")).isTrue();
        assertThat(Glob.compile("logs/**").matches("logs/a/b")).isTrue();
    }

    @Test
    void questionMarksClassesAndAlternatives() {
        assertThat(Glob.compile("part-?.csv").matches("part-7.csv")).isTrue();
        assertThat(Glob.compile("part-?.csv").matches("part-10.csv")).isFalse();
        assertThat(Glob.compile("part-[0-4].csv").matches("part-3.csv")).isTrue();
        assertThat(Glob.compile("part-[!0-4].csv").matches("part-3.csv")).isFalse();
        assertThat(Glob.compile("x.{csv,parquet}").matches("x.parquet")).isTrue();
        assertThat(Glob.compile("x.{csv,parquet}").matches("x.json")).isFalse();
        assertThat(Glob.compile("a,b").matches("a,b")).isTrue();
    }

    @Test
    void regexCharactersAreLiteralAndBackslashEscapes() {
        assertThat(Glob.compile("a+b(1).txt").matches("a+b(1).txt")).isTrue();
        assertThat(Glob.compile("a.txt").matches("abtxt")).isFalse();
        assertThat(Glob.compile("star\\*.txt").matches("star*.txt")).isTrue();
        assertThat(Glob.compile("star\\*.txt").matches("starry.txt")).isFalse();
    }

    @Test
    void theLiteralPrefixEndsAtTheFirstWildcard() {
        assertThat(Glob.compile("dt=2026-11-28/*.parquet").literalPrefix()).isEqualTo("dt=2026-11-28/");
        assertThat(Glob.compile("a/b?c").literalPrefix()).isEqualTo("a/b");
        assertThat(Glob.compile("{a,b}/c").literalPrefix()).isEmpty();
        assertThat(Glob.compile("plain/key").literalPrefix()).isEqualTo("plain/key");
    }

    @Test
    void malformedGlobsSayWhatIsWrong() {
        assertThatThrownBy(() -> Glob.compile("a[bc"))
                .isInstanceOf(SensorConfigurationException.class)
                .hasMessageContaining("']'");
        assertThatThrownBy(() -> Glob.compile("a{b,c")).hasMessageContaining("'}'");
        assertThatThrownBy(() -> Glob.compile("a}")).hasMessageContaining("'{'");
    }
}
