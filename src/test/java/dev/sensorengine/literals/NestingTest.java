package dev.sensorengine.literals;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sensorengine.flyteidl.core.Literals.Literal;
import dev.sensorengine.flyteidl.core.Literals.LiteralCollection;
import dev.sensorengine.flyteidl.core.Literals.Scalar;
import dev.sensorengine.flyteidl.core.Literals.Union;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NestingTest {

    /** Deeper than any stack: measuring must not recurse. */
    private static final int HOSTILE = 100_000;

    @Test
    void scalarsAreOneLevelAndEachContainerAddsOne() {
        assertThat(Nesting.depth(LiteralConverter.toLiteral("s3://b/k"))).isEqualTo(1);
        assertThat(Nesting.depth(LiteralConverter.toLiteral(List.of("a", "b")))).isEqualTo(2);
        assertThat(Nesting.depth(LiteralConverter.toLiteral(Map.of("k", List.of("a")))))
                .isEqualTo(3);
        assertThat(Nesting.depth(LiteralConverter.toLiteral(List.of()))).isEqualTo(1);
        assertThat(Nesting.depth(LiteralConverter.toLiteral(new GenericValue(Map.of("a", Map.of("b", 1))))))
                .isEqualTo(3);
    }

    @Test
    void theDeepestBranchCounts() {
        Literal literal = LiteralConverter.toLiteral(Map.of("flat", "x", "deep", List.of(List.of(List.of("y")))));

        assertThat(Nesting.depth(literal)).isEqualTo(5);
    }

    @Test
    void aUnionIsALevelSoUnionsOfUnionsCannotHideDepth() {
        Literal union = Literal.newBuilder()
                .setScalar(Scalar.newBuilder().setUnion(Union.newBuilder().setValue(LiteralConverter.toLiteral("x"))))
                .build();

        assertThat(Nesting.depth(union)).isEqualTo(2);
    }

    @Test
    void aStructCountsItsFieldValues() {
        assertThat(Nesting.depth(Struct.getDefaultInstance())).isZero();
        assertThat(Nesting.depth(Structs.toStruct(Map.of("a", "x")))).isEqualTo(1);
        assertThat(Nesting.depth(Structs.toStruct(Map.of("a", List.of(Map.of("b", "x"))))))
                .isEqualTo(3);
    }

    @Test
    void literalsAndTheirPlainValuesMeasureAlike() {
        Literal literal =
                LiteralConverter.toLiteral(Map.of("a", List.of(new GenericValue(Map.of("b", List.of(1, 2)))), "c", 1));

        assertThat(Nesting.depthOfPlain(PlainValues.of(LiteralConverter.toValue(literal))))
                .isEqualTo(Nesting.depth(literal))
                .isEqualTo(5);
    }

    @Test
    void aHundredThousandLevelsAreMeasuredWithoutOverflowingTheStack() {
        Value value = Value.newBuilder().setStringValue("x").build();
        Literal literal = LiteralConverter.toLiteral("x");
        Literal unions = LiteralConverter.toLiteral("x");
        Object plain = "x";
        for (int level = 1; level < HOSTILE; level++) {
            value = Value.newBuilder()
                    .setStructValue(Struct.newBuilder().putFields("a", value))
                    .build();
            literal = Literal.newBuilder()
                    .setCollection(LiteralCollection.newBuilder().addLiterals(literal))
                    .build();
            unions = Literal.newBuilder()
                    .setScalar(Scalar.newBuilder().setUnion(Union.newBuilder().setValue(unions)))
                    .build();
            plain = List.of(plain);
        }
        Struct struct = Struct.newBuilder().putFields("top", value).build();

        assertThat(Nesting.depth(struct)).isEqualTo(HOSTILE);
        assertThat(Nesting.depth(literal)).isEqualTo(HOSTILE);
        assertThat(Nesting.depth(unions)).isEqualTo(HOSTILE);
        assertThat(Nesting.depth(Literal.newBuilder()
                        .setScalar(Scalar.newBuilder().setGeneric(struct))
                        .build()))
                .isEqualTo(HOSTILE + 1);
        assertThat(Nesting.depthOfPlain(plain)).isEqualTo(HOSTILE);
    }
}
