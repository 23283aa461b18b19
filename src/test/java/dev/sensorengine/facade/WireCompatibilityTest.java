package dev.sensorengine.facade;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import com.google.protobuf.DescriptorProtos.FileDescriptorProto;
import com.google.protobuf.DescriptorProtos.FileDescriptorSet;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.DescriptorValidationException;
import com.google.protobuf.Descriptors.EnumDescriptor;
import com.google.protobuf.Descriptors.EnumValueDescriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Message;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.CreateTaskRequest;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.GetTaskResponse;
import dev.sensorengine.flyteidl.admin.AgentOuterClass.Resource;
import dev.sensorengine.flyteidl.core.Execution.TaskExecution;
import dev.sensorengine.flyteidl.core.Execution.TaskLog;
import dev.sensorengine.runtime.FlytekitSensorTasks;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checks proto/ against the official flyteidl protos (npm {@code @flyteorg/flyteidl}, fetched by
 * {@code scripts/fetch-official-flyteidl.sh}): every type we declare must exist upstream with the same wire shape,
 * and real messages must cross between our generated classes and a client built from the official descriptors
 * without a byte being lost or left unknown.
 *
 * <p>Both sides are compiled by the same protoc the build uses, so a difference can only come from the .proto text.
 */
class WireCompatibilityTest {

    private static final Path BASEDIR = Path.of(System.getProperty("basedir", System.getProperty("user.dir")));
    private static final Path FETCH_SCRIPT = BASEDIR.resolve("scripts/fetch-official-flyteidl.sh");
    private static final Path OFFICIAL_ROOT = BASEDIR.resolve("target/official-flyteidl");
    private static final Path OUR_ROOT = BASEDIR.resolve("proto");
    private static final String OURS = "proto/";

    // What protoc needs besides the .proto files themselves: the well-known types, which protobuf-java ships.
    private static final List<String> WELL_KNOWN_TYPES = List.of(
            "any",
            "api",
            "descriptor",
            "duration",
            "empty",
            "field_mask",
            "source_context",
            "struct",
            "timestamp",
            "type",
            "wrappers");

    @TempDir
    static Path work;

    /** "@flyteorg/flyteidl@1.16.5", as the fetch script recorded it; names the other side in failure messages. */
    private static String upstream;

    private static Types official;
    private static Types ours;

    /** Why the check cannot run here (no registry, no protoc), or null; each test reports it as its skip reason. */
    private static String unavailable;

    @BeforeAll
    static void compileBothSides() throws Exception {
        Path protoc;
        try {
            fetchOfficialProtos();
            protoc = protoc();
        } catch (Unavailable e) {
            unavailable = e.getMessage();
            return;
        }
        upstream = Files.readString(OFFICIAL_ROOT.resolve(".fetched"), StandardCharsets.UTF_8)
                .strip();
        Path wellKnown = copyWellKnownTypes();

        List<String> officialFiles = protoFiles(OFFICIAL_ROOT);
        List<String> ourFiles = protoFiles(OUR_ROOT);
        Map<String, FileDescriptor> officialSet =
                build(compile(protoc, "official", List.of(OFFICIAL_ROOT, wellKnown), officialFiles));
        Map<String, FileDescriptor> ourSet = build(compile(protoc, "ours", List.of(OUR_ROOT, wellKnown), ourFiles));
        official = Types.of(officialSet.values());
        // Only what proto/ itself declares is ours; the well-known types it imports are not under test.
        ours = Types.of(ourFiles.stream().map(ourSet::get).toList());
    }

    // An abort in @BeforeAll would skip the tests without surefire counting or explaining them.
    @BeforeEach
    void skipWhereTheOfficialProtosCannotBeHad() {
        Assumptions.assumeTrue(unavailable == null, () -> "Wire compatibility not checked: " + unavailable);
    }

    @Test
    void everyTypeWeDeclareHasTheOfficialWireShape() {
        // Guards against a vacuous pass, e.g. if proto/ were not found.
        assertThat(ours.messages)
                .containsKeys(
                        "flyteidl.admin.CreateTaskRequest",
                        "flyteidl.admin.GetTaskResponse",
                        "flyteidl.core.TaskTemplate");
        assertThat(ours.services)
                .containsKeys("flyteidl.service.AsyncAgentService", "flyteidl.service.AgentMetadataService");

        List<String> mismatches = new ArrayList<>();
        ours.messages.forEach((name, message) -> compareMessage(message, official.messages.get(name), mismatches));
        ours.enums.forEach((name, enumType) -> compareEnum(enumType, official.enums.get(name), mismatches));
        ours.services.forEach((name, service) -> compareService(service, official.services.get(name), mismatches));

        assertThat(mismatches)
                .withFailMessage(() -> mismatches.size() + " wire difference(s) between " + OURS + " and " + upstream
                        + ":\n  " + String.join("\n  ", mismatches))
                .isEmpty();
    }

    @Test
    void createTaskRequestFromOurClassesIsFullyUnderstoodByTheOfficialDescriptor() throws Exception {
        CreateTaskRequest request =
                FlytekitSensorTasks.createRequest(FlytekitSensorTasks.Task.fileSensor("a9k2m4x7", "s3://bucket/key")
                        .withSensorConfig(Map.of("suffix", ".done", "depth", 2))
                        .withRetryAttempt(2)
                        .withTimeout(Duration.ofMinutes(30)));
        byte[] bytes = request.toByteArray();

        DynamicMessage parsed = DynamicMessage.parseFrom(official.message("flyteidl.admin.CreateTaskRequest"), bytes);

        assertThat(unknownFields(parsed, "CreateTaskRequest"))
                .as("parts of our CreateTaskRequest that the official descriptor does not know")
                .isEmpty();
        // Every top-level part was recognised as a field, not just skipped over.
        assertThat(parsed.getAllFields().keySet())
                .extracting(FieldDescriptor::getName)
                .containsExactlyInAnyOrder("inputs", "template", "output_prefix", "task_execution_metadata");
        Message template = (Message) parsed.getField(field(parsed.getDescriptorForType(), "template"));
        assertThat(template.getField(field(template.getDescriptorForType(), "type")))
                .isEqualTo("sensor");
        assertThat(parsed.toByteArray()).isEqualTo(bytes);
    }

    @Test
    void getTaskResponseFromTheOfficialDescriptorIsFullyUnderstoodByOurClasses() throws Exception {
        Descriptor responseType = official.message("flyteidl.admin.GetTaskResponse");
        Descriptor resourceType = field(responseType, "resource").getMessageType();
        FieldDescriptor phase = field(resourceType, "phase");
        FieldDescriptor logLinks = field(resourceType, "log_links");
        Descriptor taskLogType = logLinks.getMessageType();
        Descriptor durationType = field(taskLogType, "ttl").getMessageType();
        Descriptor structType = field(resourceType, "custom_info").getMessageType();

        Map<String, DynamicMessage> details = new LinkedHashMap<>();
        details.put("path", value(structType, "string_value", "s3://bucket/key"));
        details.put("pokes", value(structType, "number_value", 3.0));
        details.put("matched", value(structType, "bool_value", false));
        DynamicMessage customInfo = struct(
                structType,
                Map.of(
                        "sensor", value(structType, "string_value", "FileSensor"),
                        "details", value(structType, "struct_value", struct(structType, details))));
        DynamicMessage resource = DynamicMessage.newBuilder(resourceType)
                .setField(phase, phase.getEnumType().findValueByName("RUNNING"))
                .setField(field(resourceType, "message"), "waiting for s3://bucket/key (3 pokes)")
                .addRepeatedField(
                        logLinks,
                        DynamicMessage.newBuilder(taskLogType)
                                .setField(
                                        field(taskLogType, "uri"),
                                        "http://temporal:8233/namespaces/default/workflows/x")
                                .setField(field(taskLogType, "name"), "Temporal workflow")
                                .setField(
                                        field(taskLogType, "message_format"),
                                        field(taskLogType, "message_format")
                                                .getEnumType()
                                                .findValueByName("JSON"))
                                .setField(
                                        field(taskLogType, "ttl"),
                                        DynamicMessage.newBuilder(durationType)
                                                .setField(field(durationType, "seconds"), 3600L)
                                                .build())
                                .setField(field(taskLogType, "ShowWhilePending"), true)
                                .build())
                .setField(field(resourceType, "custom_info"), customInfo)
                .build();
        byte[] bytes = DynamicMessage.newBuilder(responseType)
                .setField(field(responseType, "resource"), resource)
                .build()
                .toByteArray();

        GetTaskResponse parsed = GetTaskResponse.parseFrom(bytes);

        assertThat(unknownFields(parsed, "GetTaskResponse"))
                .as("parts of the official GetTaskResponse that our classes do not know")
                .isEmpty();
        Resource ourResource = parsed.getResource();
        assertThat(ourResource.getPhase()).isEqualTo(TaskExecution.Phase.RUNNING);
        assertThat(ourResource.getMessage()).isEqualTo("waiting for s3://bucket/key (3 pokes)");
        assertThat(ourResource.getLogLinksList()).singleElement().satisfies(link -> {
            assertThat(link.getUri()).isEqualTo("http://temporal:8233/namespaces/default/workflows/x");
            assertThat(link.getName()).isEqualTo("Temporal workflow");
            assertThat(link.getMessageFormat()).isEqualTo(TaskLog.MessageFormat.JSON);
            assertThat(link.getTtl().getSeconds()).isEqualTo(3600L);
            assertThat(link.getShowWhilePending()).isTrue();
        });
        assertThat(ourResource
                        .getCustomInfo()
                        .getFieldsOrThrow("details")
                        .getStructValue()
                        .getFieldsOrThrow("pokes")
                        .getNumberValue())
                .isEqualTo(3.0);
        assertThat(parsed.toByteArray()).isEqualTo(bytes);
    }

    // ---- comparison ----

    private static void compareMessage(Descriptor ours, Descriptor theirs, List<String> out) {
        String name = ours.getFullName();
        if (theirs == null) {
            out.add(name + ": message does not exist in " + upstream);
            return;
        }
        compareSyntax(name, ours.getFile(), theirs.getFile(), out);
        for (FieldDescriptor field : ours.getFields()) {
            FieldDescriptor other = theirs.findFieldByName(field.getName());
            String where = name + "." + field.getName();
            if (other == null) {
                out.add(where + " (" + field.getNumber() + "): field does not exist in " + upstream);
                continue;
            }
            differs(where, "number", field.getNumber(), other.getNumber(), out);
            differs(where, "label", field.toProto().getLabel(), other.toProto().getLabel(), out);
            differs(where, "type", field.getType(), other.getType(), out);
            differs(where, "type name", typeName(field), typeName(other), out);
            differs(where, "oneof", oneof(field), oneof(other), out);
            differs(
                    where,
                    "proto3 optional",
                    field.toProto().getProto3Optional(),
                    other.toProto().getProto3Optional(),
                    out);
            differs(where, "json name", field.getJsonName(), other.getJsonName(), out);
            // Not an option we ignore: it decides how repeated scalars are encoded.
            differs(where, "packed", field.isPacked(), other.isPacked(), out);
        }
        // A field we lack would arrive as an unknown field: harmless, but no longer the "same definitions".
        for (FieldDescriptor other : theirs.getFields()) {
            if (ours.findFieldByName(other.getName()) == null) {
                out.add(name + "." + other.getName() + " (" + other.getNumber() + "): field of " + upstream
                        + " is missing from " + OURS);
            }
        }
    }

    private static void compareEnum(EnumDescriptor ours, EnumDescriptor theirs, List<String> out) {
        String name = ours.getFullName();
        if (theirs == null) {
            out.add(name + ": enum does not exist in " + upstream);
            return;
        }
        compareSyntax(name, ours.getFile(), theirs.getFile(), out);
        Map<String, Integer> ourValues = enumValues(ours);
        Map<String, Integer> theirValues = enumValues(theirs);
        ourValues.forEach((value, number) -> {
            if (!theirValues.containsKey(value)) {
                out.add(name + "." + value + " (" + number + "): enum value does not exist in " + upstream);
            } else {
                differs(name + "." + value, "number", number, theirValues.get(value), out);
            }
        });
        theirValues.forEach((value, number) -> {
            if (!ourValues.containsKey(value)) {
                out.add(name + "." + value + " (" + number + "): enum value of " + upstream + " is missing from "
                        + OURS);
            }
        });
    }

    private static void compareService(ServiceDescriptor ours, ServiceDescriptor theirs, List<String> out) {
        String name = ours.getFullName();
        if (theirs == null) {
            out.add(name + ": service does not exist in " + upstream);
            return;
        }
        for (MethodDescriptor method : ours.getMethods()) {
            MethodDescriptor other = theirs.findMethodByName(method.getName());
            String where = name + "/" + method.getName();
            if (other == null) {
                out.add(where + ": rpc does not exist in " + upstream);
                continue;
            }
            differs(
                    where,
                    "input type",
                    method.getInputType().getFullName(),
                    other.getInputType().getFullName(),
                    out);
            differs(
                    where,
                    "output type",
                    method.getOutputType().getFullName(),
                    other.getOutputType().getFullName(),
                    out);
            differs(where, "client streaming", method.isClientStreaming(), other.isClientStreaming(), out);
            differs(where, "server streaming", method.isServerStreaming(), other.isServerStreaming(), out);
        }
        for (MethodDescriptor other : theirs.getMethods()) {
            if (ours.findMethodByName(other.getName()) == null) {
                out.add(name + "/" + other.getName() + ": rpc of " + upstream + " is missing from " + OURS);
            }
        }
    }

    // proto2 and proto3 differ on the wire (packing defaults, field presence), so the syntax is part of the shape.
    private static void compareSyntax(String name, FileDescriptor ours, FileDescriptor theirs, List<String> out) {
        differs(
                name,
                "syntax of " + ours.getName(),
                ours.toProto().getSyntax(),
                theirs.toProto().getSyntax(),
                out);
    }

    private static void differs(String where, String what, Object ours, Object theirs, List<String> out) {
        if (!Objects.equals(ours, theirs)) {
            out.add(where + ": " + what + " is " + ours + " in " + OURS + " but " + theirs + " in " + upstream);
        }
    }

    private static String typeName(FieldDescriptor field) {
        return switch (field.getJavaType()) {
            case MESSAGE -> field.getMessageType().getFullName();
            case ENUM -> field.getEnumType().getFullName();
            default -> "-";
        };
    }

    // Synthetic oneofs of proto3 optional fields are covered by "proto3 optional", so only real ones count here.
    private static String oneof(FieldDescriptor field) {
        OneofDescriptor oneof = field.getRealContainingOneof();
        return oneof == null ? "(none)" : oneof.getName();
    }

    private static Map<String, Integer> enumValues(EnumDescriptor enumType) {
        return enumType.getValues().stream()
                .collect(Collectors.toMap(
                        EnumValueDescriptor::getName, EnumValueDescriptor::getNumber, (a, b) -> a, LinkedHashMap::new));
    }

    // ---- dynamic messages ----

    /** Paths of every message, at any depth (map entries included), that carries fields its descriptor lacks. */
    private static List<String> unknownFields(Message message, String path) {
        List<String> found = new ArrayList<>();
        collectUnknownFields(message, path, found);
        return found;
    }

    private static void collectUnknownFields(Message message, String path, List<String> found) {
        if (!message.getUnknownFields().asMap().isEmpty()) {
            found.add(path + " has unknown field number(s) "
                    + message.getUnknownFields().asMap().keySet());
        }
        message.getAllFields().forEach((field, value) -> {
            if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
                return;
            }
            String fieldPath = path + "." + field.getName();
            if (field.isRepeated()) {
                List<?> elements = (List<?>) value;
                for (int i = 0; i < elements.size(); i++) {
                    collectUnknownFields((Message) elements.get(i), fieldPath + "[" + i + "]", found);
                }
            } else {
                collectUnknownFields((Message) value, fieldPath, found);
            }
        });
    }

    private static FieldDescriptor field(Descriptor message, String name) {
        FieldDescriptor field = message.findFieldByName(name);
        if (field == null) {
            fail(message.getFullName() + " has no field " + name + " in " + upstream);
        }
        return field;
    }

    /** A google.protobuf.Value with one kind set, e.g. {@code string_value}. */
    private static DynamicMessage value(Descriptor structType, String kind, Object value) {
        Descriptor valueType =
                field(field(structType, "fields").getMessageType(), "value").getMessageType();
        return DynamicMessage.newBuilder(valueType)
                .setField(field(valueType, kind), value)
                .build();
    }

    private static DynamicMessage struct(Descriptor structType, Map<String, DynamicMessage> values) {
        FieldDescriptor fields = field(structType, "fields");
        Descriptor entryType = fields.getMessageType();
        DynamicMessage.Builder struct = DynamicMessage.newBuilder(structType);
        values.forEach((key, value) -> struct.addRepeatedField(
                fields,
                DynamicMessage.newBuilder(entryType)
                        .setField(field(entryType, "key"), key)
                        .setField(field(entryType, "value"), value)
                        .build()));
        return struct.build();
    }

    // ---- setup ----

    private static void fetchOfficialProtos() throws IOException, InterruptedException {
        // The script is idempotent and returns at once when the protos are in place, so it always runs:
        // it, not this test, knows whether a copy is complete and of the right version.
        // Output goes to a file so that a hung download cannot also hang this test on a pipe read.
        Path log = work.resolve("fetch.log");
        Process process = new ProcessBuilder("bash", FETCH_SCRIPT.toString())
                .directory(BASEDIR.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        boolean finished = process.waitFor(5, TimeUnit.MINUTES);
        if (!finished) {
            process.destroyForcibly();
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        if (!finished) {
            unavailable("scripts/fetch-official-flyteidl.sh did not finish within 5 minutes:\n" + output);
        }
        if (process.exitValue() != 0) {
            unavailable("scripts/fetch-official-flyteidl.sh failed (exit " + process.exitValue() + "):\n"
                    + output.strip()
                    + "\nIt downloads @flyteorg/flyteidl from the npm registry; run it by hand where the"
                    + " registry is reachable, then rerun this test.");
        }
    }

    private static Path protoc() {
        String configured = System.getProperty("protoc.executable");
        if (configured == null) {
            unavailable("System property protoc.executable is not set; run this test through Maven (surefire sets"
                    + " it to the protoc that protobuf-maven-plugin downloads) or pass -Dprotoc.executable=...");
        }
        Path protoc = Path.of(configured);
        if (!Files.isRegularFile(protoc)) {
            unavailable("protoc not found at " + protoc + " (protoc.executable); run `mvn generate-sources` first");
        }
        // Maven stores artifacts without the execute bit unless the plugin that resolved it set one.
        if (!Files.isExecutable(protoc) && !protoc.toFile().setExecutable(true)) {
            unavailable("protoc at " + protoc + " is not executable and could not be made so");
        }
        return protoc;
    }

    /** Missing tooling is a skip on a laptop, but must not let CI go green without having checked anything. */
    private static void unavailable(String reason) {
        if ("true".equals(System.getenv("CI"))) {
            fail("Wire compatibility could not be checked (CI=true, so this is a failure, not a skip): " + reason);
        }
        throw new Unavailable(reason);
    }

    private static final class Unavailable extends RuntimeException {
        Unavailable(String reason) {
            super(reason);
        }
    }

    private static Path copyWellKnownTypes() throws IOException {
        Path root = work.resolve("well-known");
        Files.createDirectories(root.resolve("google/protobuf"));
        for (String name : WELL_KNOWN_TYPES) {
            String resource = "google/protobuf/" + name + ".proto";
            try (InputStream in = WireCompatibilityTest.class.getClassLoader().getResourceAsStream(resource)) {
                if (in == null) {
                    fail(resource + " is not on the test classpath (it comes with protobuf-java)");
                }
                Files.copy(in, root.resolve(resource));
            }
        }
        return root;
    }

    private static List<String> protoFiles(Path root) throws IOException {
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(p -> p.toString().endsWith(".proto"))
                    .map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted()
                    .toList();
        }
    }

    private static FileDescriptorSet compile(Path protoc, String label, List<Path> includes, List<String> files)
            throws IOException, InterruptedException {
        Path out = work.resolve(label + ".pb");
        List<String> command =
                new ArrayList<>(List.of(protoc.toString(), "--include_imports", "--descriptor_set_out=" + out));
        includes.forEach(include -> command.add("--proto_path=" + include));
        command.addAll(files);
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (process.waitFor() != 0) {
            fail("protoc could not compile the " + label + " protos:\n" + output);
        }
        return FileDescriptorSet.parseFrom(Files.readAllBytes(out));
    }

    private static Map<String, FileDescriptor> build(FileDescriptorSet set) throws DescriptorValidationException {
        // protoc writes --include_imports sets in dependency order, so each file's imports are built before it.
        Map<String, FileDescriptor> built = new LinkedHashMap<>();
        for (FileDescriptorProto file : set.getFileList()) {
            FileDescriptor[] dependencies = file.getDependencyList().stream()
                    .map(dependency -> Objects.requireNonNull(
                            built.get(dependency),
                            () -> file.getName() + " imports " + dependency + ", not built before it"))
                    .toArray(FileDescriptor[]::new);
            built.put(file.getName(), FileDescriptor.buildFrom(file, dependencies));
        }
        return built;
    }

    /** Every message, enum and service of some files by full name, nested ones (and map entries) included. */
    private record Types(
            Map<String, Descriptor> messages,
            Map<String, EnumDescriptor> enums,
            Map<String, ServiceDescriptor> services) {

        static Types of(Iterable<FileDescriptor> files) {
            Types types = new Types(new TreeMap<>(), new TreeMap<>(), new TreeMap<>());
            for (FileDescriptor file : files) {
                file.getMessageTypes().forEach(types::addMessage);
                file.getEnumTypes().forEach(e -> types.enums.put(e.getFullName(), e));
                file.getServices().forEach(s -> types.services.put(s.getFullName(), s));
            }
            return types;
        }

        private void addMessage(Descriptor message) {
            messages.put(message.getFullName(), message);
            message.getNestedTypes().forEach(this::addMessage);
            message.getEnumTypes().forEach(e -> enums.put(e.getFullName(), e));
        }

        Descriptor message(String fullName) {
            return Optional.ofNullable(messages.get(fullName))
                    .orElseGet(() -> fail(fullName + " is not in " + upstream));
        }
    }
}
