package dev.sensorengine.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sensorengine.engine.InvalidRequestException;
import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.core.Literals.Literal;
import dev.sensorengine.flyteidl.core.Literals.LiteralMap;
import dev.sensorengine.flyteidl.core.Literals.Scalar;
import dev.sensorengine.flyteidl.core.Tasks.TaskTemplate;
import dev.sensorengine.literals.LiteralConverter;
import dev.sensorengine.literals.Structs;
import io.grpc.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** CreateTask's literals against the limits, before anything converts (and so recurses into) them. */
class CreateTaskChecksTest {

    private static final Struct CUSTOM = Structs.toStruct(Map.of("sensor_name", "FileSensor"));
    private final CreateTaskChecks checks = new CreateTaskChecks(new RequestLimits(4096, 2, 20, 3, 20_000, 2000));

    @Test
    void inputsAtTheLimitsPass() {
        LiteralMap inputs = LiteralConverter.toLiteralMap(Map.of("a", List.of(List.of("x")), "b", "s".repeat(14)));

        assertThat(LiteralConverter.toLiteral("s".repeat(14)).getSerializedSize())
                .isEqualTo(20);
        assertThatCode(() -> checks.check(inputs, CUSTOM)).doesNotThrowAnyException();
    }

    @Test
    void oneInputTooMany() {
        LiteralMap inputs = LiteralConverter.toLiteralMap(Map.of("a", 1, "b", 2, "c", 3));

        assertThatThrownBy(() -> checks.check(inputs, CUSTOM))
                .isInstanceOf(InvalidRequestException.class)
                .hasMessage("the task has 3 inputs, over the limit of 2 (--max-inputs)");
    }

    @Test
    void oneByteTooMany() {
        LiteralMap inputs = LiteralConverter.toLiteralMap(Map.of("path", "s".repeat(15)));

        assertThatThrownBy(() -> checks.check(inputs, CUSTOM))
                .hasMessage("input 'path' is 21 bytes, over the limit of 20 (--max-input-size)");
    }

    @Test
    void oneLevelTooMany() {
        LiteralMap inputs = LiteralConverter.toLiteralMap(Map.of("cfg", List.of(List.of(List.of("x")))));
        Struct custom = Structs.toStruct(Map.of("sensor_config", Map.of("a", Map.of("b", Map.of("c", 1)))));

        assertThatThrownBy(() -> checks.check(inputs, CUSTOM))
                .hasMessage("input 'cfg' nests 4 levels deep, over the limit of 3 (--max-literal-depth)");
        assertThatThrownBy(() -> checks.check(LiteralMap.getDefaultInstance(), custom))
                .hasMessage("TaskTemplate.custom nests 4 levels deep, over the limit of 3 (--max-literal-depth)");
    }

    @Test
    void aHundredThousandLevelsAreRefusedAsInvalidArgumentWithoutStackOverflow() {
        Value value = Value.newBuilder().setStringValue("x").build();
        for (int level = 1; level < 100_000; level++) {
            value = Value.newBuilder()
                    .setStructValue(Struct.newBuilder().putFields("a", value))
                    .build();
        }
        Struct deep = Struct.newBuilder().putFields("sensor_config", value).build();
        Literal generic = Literal.newBuilder()
                .setScalar(Scalar.newBuilder().setGeneric(deep))
                .build();
        TaskTemplate template =
                TaskTemplate.newBuilder().setType("sensor").setCustom(CUSTOM).build();
        CreateTaskRequest deepInput = CreateTaskRequest.newBuilder()
                .setTemplate(template)
                .setInputs(LiteralMap.newBuilder().putLiterals("cfg", generic))
                .build();
        CreateTaskRequest deepCustom = CreateTaskRequest.newBuilder()
                .setTemplate(template.toBuilder().setCustom(deep))
                .build();

        assertRefused(deepInput, "input 'cfg' nests 100001 levels deep, over the limit of 3 (--max-literal-depth)");
        assertRefused(
                deepCustom, "TaskTemplate.custom nests 100000 levels deep, over the limit of 3 (--max-literal-depth)");
    }

    private void assertRefused(CreateTaskRequest request, String message) {
        assertThatThrownBy(() -> TaskRequests.sensorTask(request, checks))
                .isInstanceOfSatisfying(
                        InvalidRequestException.class,
                        e -> assertThat(Statuses.of(e).getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT))
                .hasMessage(message);
    }
}
