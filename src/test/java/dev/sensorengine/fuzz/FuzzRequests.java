package dev.sensorengine.fuzz;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.core.Interface.Variable;
import dev.sensorengine.flyteidl.core.Interface.VariableMap;
import dev.sensorengine.flyteidl.core.Literals;
import dev.sensorengine.flyteidl.core.Literals.Literal;
import dev.sensorengine.flyteidl.core.Literals.LiteralMap;
import dev.sensorengine.flyteidl.core.Tasks;
import dev.sensorengine.flyteidl.core.Types.LiteralType;
import dev.sensorengine.flyteidl.core.Types.SimpleType;
import dev.sensorengine.fuzz.FuzzCall.Category;
import dev.sensorengine.fuzz.FuzzCall.TaskCall;
import dev.sensorengine.literals.Structs;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import dev.sensorengine.testing.RawGrpc.Rpc;
import io.grpc.Status.Code;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.UnaryOperator;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * The mix of calls the API fuzzer makes: well-formed sensor tasks, well-shaped tasks with hostile values, mutated
 * and truncated encodings, and Get/Delete/Logs/Metrics calls with issued, damaged, forged and foreign metas.
 *
 * @param root a {@code --file-root} of the service under test, where valid FileSensors wait for files that never come
 */
record FuzzRequests(Path root) {

    private static final Set<Code> CREATE_REFUSALS = Set.of(Code.OK, Code.INVALID_ARGUMENT, Code.NOT_FOUND);
    private static final Set<Code> ANY_REFUSAL = Set.of(Code.OK, Code.INVALID_ARGUMENT, Code.NOT_FOUND);

    Arbitrary<FuzzCall> calls() {
        return Arbitraries.frequencyOf(
                Tuple.of(
                        15,
                        validCreates("valid")
                                .map(request -> new FuzzCall(
                                        "valid create",
                                        Rpc.CREATE,
                                        new FuzzCall.Encoded(request),
                                        Set.of(Code.OK),
                                        true))),
                Tuple.of(25, hostileCreates()),
                // Their own execution names: a mutated request that took a valid one's attempt would be that sensor.
                Tuple.of(
                        15,
                        Combinators.combine(validCreates("mutated"), ByteMutation.some())
                                .as((request, mutations) -> new FuzzCall(
                                        "mutated create",
                                        Rpc.CREATE,
                                        new FuzzCall.Mutated(new FuzzCall.Encoded(request), mutations),
                                        CREATE_REFUSALS,
                                        false))),
                Tuple.of(
                        30,
                        taskCalls().map(call -> new FuzzCall("task call", call.rpc(), call, call.allowed(), false))),
                Tuple.of(
                        10,
                        Combinators.combine(taskCalls(), ByteMutation.some())
                                .as((call, mutations) -> new FuzzCall(
                                        "mutated task call",
                                        call.rpc(),
                                        new FuzzCall.Mutated(call, mutations),
                                        ANY_REFUSAL,
                                        false))),
                Tuple.of(
                        5,
                        Combinators.combine(
                                        Arbitraries.of(Rpc.class),
                                        Arbitraries.bytes().array(byte[].class).ofMaxSize(64))
                                .as((rpc, bytes) ->
                                        new FuzzCall("raw bytes", rpc, new FuzzCall.Raw(bytes), ANY_REFUSAL, false))));
    }

    /**
     * CreateTask requests as propeller sends them for flytekit sensors that wait a long time, with execution names
     * {@code <prefix>-<sensor>-<random>}, so that two different tasks never share an attempt (which would make them
     * one sensor, by design).
     */
    Arbitrary<CreateTaskRequest> validCreates(String prefix) {
        Arbitrary<String> ids =
                Arbitraries.strings().withCharRange('a', 'z').numeric().ofLength(16);
        Arbitrary<Integer> attempts = Arbitraries.integers().between(0, 5);
        Arbitrary<Map<String, Object>> configs = Arbitraries.of(
                Map.<String, Object>of("poke_interval", "1h"),
                Map.<String, Object>of("poke_interval", 3600.0, "backoff", "exponential", "max_poke_interval", "4h"),
                Map.<String, Object>of("poke_interval", "PT1H", "timeout", "2d"),
                Map.<String, Object>of("poke_interval", "2h", "backoff", "FIXED", "timeout", 86400.0));
        Arbitrary<Optional<Duration>> timeouts = Arbitraries.of(Optional.empty(), Optional.of(Duration.ofHours(3)));
        Arbitrary<FlytekitSensorTasks.Task> file = Combinators.combine(ids, attempts, configs, timeouts)
                .as((id, attempt, config, timeout) -> task(
                        prefix + "-file-" + id,
                        attempt,
                        "flytekit.sensor.file_sensor",
                        "FileSensor",
                        config,
                        Map.of("path", root.resolve("never").resolve(id).toString()),
                        timeout));
        Arbitrary<FlytekitSensorTasks.Task> http = Combinators.combine(ids, attempts, configs)
                .as((id, attempt, config) -> task(
                        prefix + "-http-" + id,
                        attempt,
                        "sensor_engine.sensors",
                        "HttpSensor",
                        config,
                        Map.of("url", "http://127.0.0.1:1/never/" + id),
                        Optional.empty()));
        Arbitrary<FlytekitSensorTasks.Task> delta = Combinators.combine(
                        ids, attempts, Arbitraries.integers().between(1, 1000))
                .as((id, attempt, hours) -> task(
                        prefix + "-delta-" + id,
                        attempt,
                        "my.sensors",
                        "TimeDeltaSensor",
                        Map.of(),
                        Map.of("delta", Duration.ofHours(hours)),
                        Optional.of(Duration.ofDays(60))));
        Arbitrary<FlytekitSensorTasks.Task> dateTime = Combinators.combine(
                        ids, attempts, Arbitraries.longs().between(946_684_800L, 4_102_444_800L))
                .as((id, attempt, seconds) -> task(
                        prefix + "-datetime-" + id,
                        attempt,
                        "my.sensors",
                        "DateTimeSensor",
                        Map.of(),
                        Map.of("target_time", Instant.ofEpochSecond(seconds)),
                        Optional.of(Duration.ofDays(365 * 80))));
        return Arbitraries.oneOf(file, http, delta, dateTime).map(FlytekitSensorTasks::createRequest);
    }

    private static FlytekitSensorTasks.Task task(
            String execution,
            int attempt,
            String module,
            String name,
            Map<String, Object> config,
            Map<String, ?> inputs,
            Optional<Duration> timeout) {
        return new FlytekitSensorTasks.Task(
                "fuzz",
                "development",
                execution,
                "n0",
                attempt,
                module,
                name,
                new LinkedHashMap<>(config),
                inputs,
                timeout);
    }

    /** A flytekit sensor task's shape with hostile values in it, then perhaps a few edits of the template. */
    Arbitrary<FuzzCall> hostileCreates() {
        Arbitrary<String> names =
                Arbitraries.oneOf(Arbitraries.strings().alpha().ofLength(8), HostileValues.strings());
        Arbitrary<List<String>> executions = names.list().ofSize(4);
        Arbitrary<Integer> attempts =
                Arbitraries.oneOf(Arbitraries.of(0, -1, Integer.MIN_VALUE, Integer.MAX_VALUE), Arbitraries.integers());
        Arbitrary<String> modules = Arbitraries.oneOf(
                Arbitraries.of("flytekit.sensor.file_sensor", "sensor_engine.sensors", "", "my.sensors"),
                HostileValues.strings());
        Arbitrary<String> sensors = Arbitraries.oneOf(
                Arbitraries.of(HostileValues.knownSensorNames()),
                Arbitraries.of("KafkaSensor", "BaseSensor", "fileSensor", " FileSensor "),
                HostileValues.strings());
        Arbitrary<Map<String, Literal>> inputs = Arbitraries.maps(
                        Arbitraries.oneOf(
                                Arbitraries.of("path", "url", "query", "delta", "target_time"),
                                HostileValues.shortStrings()),
                        HostileValues.literals())
                .ofMaxSize(3);
        Arbitrary<List<Tweak>> tweaks = tweaks().list().ofMaxSize(3);
        return Combinators.combine(executions, attempts, modules, sensors, HostileValues.configs(), inputs, tweaks)
                .as((execution, attempt, module, sensor, config, literals, edits) -> {
                    CreateTaskRequest request = FlytekitSensorTasks.createRequest(new FlytekitSensorTasks.Task(
                            execution.get(0),
                            execution.get(1),
                            execution.get(2),
                            execution.get(3),
                            attempt,
                            module,
                            sensor,
                            config,
                            Map.of(),
                            Optional.empty()));
                    request = withInputs(request, literals);
                    List<String> applied = new ArrayList<>();
                    for (Tweak tweak : edits) {
                        request = tweak.edit().apply(request);
                        applied.add(tweak.name());
                    }
                    Set<Code> allowed = new HashSet<>(CREATE_REFUSALS);
                    if (request.getSerializedSize() > MAX_REQUEST) {
                        allowed.add(Code.RESOURCE_EXHAUSTED);
                    }
                    return new FuzzCall(
                            "hostile create " + applied,
                            Rpc.CREATE,
                            new FuzzCall.Encoded(request),
                            Set.copyOf(allowed),
                            false);
                });
    }

    /** Requests this close to gRPC's limit may be refused for their size, with the framing on top. */
    private static final int MAX_REQUEST = FuzzCall.MAX_MESSAGE - 1024;

    private static CreateTaskRequest withInputs(CreateTaskRequest request, Map<String, Literal> literals) {
        VariableMap.Builder variables = VariableMap.newBuilder();
        literals.keySet()
                .forEach(name -> variables.putVariables(
                        name,
                        Variable.newBuilder()
                                .setType(LiteralType.newBuilder().setSimple(SimpleType.STRING))
                                .build()));
        var template = request.getTemplate().toBuilder();
        template.getInterfaceBuilder().setInputs(variables);
        return request.toBuilder()
                .setInputs(LiteralMap.newBuilder().putAllLiterals(literals))
                .setTemplate(template)
                .build();
    }

    /** A named edit of a CreateTaskRequest. */
    record Tweak(String name, UnaryOperator<CreateTaskRequest> edit) {
        @Override
        public String toString() {
            return name;
        }
    }

    private static Arbitrary<Tweak> tweaks() {
        return Arbitraries.oneOf(
                Arbitraries.just(new Tweak(
                        "no template", r -> r.toBuilder().clearTemplate().build())),
                Arbitraries.just(new Tweak("empty request", r -> CreateTaskRequest.getDefaultInstance())),
                Arbitraries.just(new Tweak(
                        "no execution metadata",
                        r -> r.toBuilder().clearTaskExecutionMetadata().build())),
                Arbitraries.oneOf(
                                Arbitraries.of("sensor", "", "bigquery_query_job_task", "SENSOR"),
                                HostileValues.strings())
                        .map(type -> new Tweak("type " + shorten(type), r -> template(r, t -> t.setType(type)))),
                Arbitraries.integers()
                        .map(version -> new Tweak(
                                "task_type_version " + version, r -> template(r, t -> t.setTaskTypeVersion(version)))),
                HostileValues.durations()
                        .map(timeout -> new Tweak(
                                "metadata.timeout " + timeout.getSeconds() + "s " + timeout.getNanos() + "ns",
                                r -> template(r, t -> {
                                    t.getMetadataBuilder().setTimeout(timeout);
                                    return t;
                                }))),
                HostileValues.configs()
                        .map(custom -> new Tweak(
                                "custom " + shorten(custom.toString()),
                                r -> template(r, t -> t.setCustom(Structs.toStruct(custom))))),
                Combinators.combine(
                                Arbitraries.of("sensor_name", "sensor_module", "sensor_config", "inputs"),
                                HostileValues.structValues())
                        .as((key, value) -> new Tweak(
                                "custom." + key + " = " + shorten(String.valueOf(value)),
                                r -> template(r, t -> {
                                    t.getCustomBuilder().putFields(key, Structs.toValue(value));
                                    return t;
                                }))),
                HostileValues.depths()
                        .map(depth -> new Tweak(
                                "sensor_config " + depth + " deep",
                                r -> template(r, t -> {
                                    t.getCustomBuilder()
                                            .putFields(
                                                    "sensor_config",
                                                    Value.newBuilder()
                                                            .setStructValue(Struct.newBuilder()
                                                                    .putFields("deep", HostileValues.nested(depth)))
                                                            .build());
                                    return t;
                                }))),
                HostileValues.depths()
                        .map(depth -> new Tweak(
                                "input " + depth + " deep",
                                r -> r.toBuilder()
                                        .setInputs(r.getInputs().toBuilder()
                                                .putLiterals("path", HostileValues.nestedCollection(depth)))
                                        .build())),
                Arbitraries.just(new Tweak(
                        "oversize input",
                        r -> r.toBuilder()
                                .setInputs(r.getInputs().toBuilder()
                                        .putLiterals(
                                                "path",
                                                Literal.newBuilder()
                                                        .setScalar(Literals.Scalar.newBuilder()
                                                                .setPrimitive(Literals.Primitive.newBuilder()
                                                                        .setStringValue(
                                                                                "x".repeat(FuzzCall.MAX_MESSAGE + 1))))
                                                        .build()))
                                .build())));
    }

    private static CreateTaskRequest template(
            CreateTaskRequest request, UnaryOperator<Tasks.TaskTemplate.Builder> edit) {
        return request.toBuilder()
                .setTemplate(edit.apply(request.getTemplate().toBuilder()))
                .build();
    }

    private static String shorten(String text) {
        return text.length() > 60 ? text.substring(0, 60) + "…(" + text.length() + ")" : text;
    }

    /** Get, Delete, Logs and Metrics calls, each with a meta from {@link MetaSource} and a category. */
    Arbitrary<TaskCall> taskCalls() {
        Arbitrary<Category> categories = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just(new Category(true, "sensor", 0, ""))),
                Tuple.of(2, Arbitraries.just(new Category(false, "", 0, "sensor"))),
                Tuple.of(1, Arbitraries.just(new Category(true, "sensor", 0, "sensor"))),
                Tuple.of(1, Arbitraries.just(new Category(false, "", 0, ""))),
                Tuple.of(
                        2,
                        Combinators.combine(
                                        Arbitraries.of(true, false),
                                        Arbitraries.oneOf(
                                                Arbitraries.of("sensor", "bigquery", "", "Sensor"),
                                                HostileValues.shortStrings()),
                                        Arbitraries.integers(),
                                        Arbitraries.oneOf(
                                                Arbitraries.of("", "sensor", "spark"), HostileValues.shortStrings()))
                                .as(Category::new)));
        Arbitrary<Long> lines = Arbitraries.oneOf(
                Arbitraries.of(
                        0L,
                        1L,
                        100L,
                        -1L,
                        Long.MIN_VALUE,
                        Long.MAX_VALUE,
                        (long) Integer.MAX_VALUE + 1,
                        -4_294_967_295L),
                Arbitraries.longs());
        Arbitrary<List<String>> queries = Arbitraries.oneOf(
                Arbitraries.of("pokes", "age_seconds").list().ofMaxSize(3),
                Arbitraries.oneOf(Arbitraries.of("cpu", "pokes", ""), HostileValues.shortStrings())
                        .list()
                        .ofMaxSize(3));
        return Combinators.combine(
                        Arbitraries.of(Rpc.GET, Rpc.DELETE, Rpc.LOGS, Rpc.METRICS),
                        MetaSource.any(),
                        categories,
                        lines,
                        queries)
                .as(TaskCall::new);
    }
}
