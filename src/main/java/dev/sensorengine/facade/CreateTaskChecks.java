package dev.sensorengine.facade;

import com.google.protobuf.Struct;
import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.flyteidl.core.Literals.Literal;
import dev.sensorengine.flyteidl.core.Literals.LiteralMap;
import dev.sensorengine.literals.Nesting;
import java.util.Map;

/**
 * Holds a CreateTask's literals against the {@link RequestLimits} before anything converts them: the count of
 * inputs, then each input's depth before its size (measuring the size recurses, the depth check does not), then the
 * depth of {@code TaskTemplate.custom}.
 */
final class CreateTaskChecks {

    private final RequestLimits limits;

    CreateTaskChecks(RequestLimits limits) {
        this.limits = limits;
    }

    /** @throws dev.sensorengine.engine.InvalidRequestException naming the first limit the request is over */
    void check(LiteralMap inputs, Struct custom) {
        limits.checkInputCount(inputs.getLiteralsCount());
        for (Map.Entry<String, Literal> input : inputs.getLiteralsMap().entrySet()) {
            limits.checkInputDepth(input.getKey(), Nesting.depth(input.getValue()));
            limits.checkInputSize(input.getKey(), input.getValue().getSerializedSize());
        }
        limits.checkDepth("TaskTemplate.custom", Nesting.depth(custom));
    }
}
