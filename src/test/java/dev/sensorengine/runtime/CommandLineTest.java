package dev.sensorengine.runtime;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sensorengine.Main;
import dev.sensorengine.engine.EngineSettings;
import dev.sensorengine.engine.RequestLimits;
import dev.sensorengine.events.EventSettings;
import dev.sensorengine.events.PushSettings;
import dev.sensorengine.facade.ConnectionSettings;
import dev.sensorengine.sensors.network.Cidr;
import dev.sensorengine.sensors.network.NetworkPolicy;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The serve options: defaults, environment variables, and clear refusals. */
class CommandLineTest {

    private final Map<String, String> environment = new HashMap<>();

    @Test
    void defaultsAreThoseTheReadmePromises() {
        ServiceConfig config = serve();

        assertThat(config.api().grpcPort()).isEqualTo(8000);
        assertThat(config.metricsPort()).isEqualTo(9090);
        assertThat(config.temporal().target()).isEqualTo("local");
        assertThat(config.temporal().local())
                .isEqualTo(new LocalTemporalSettings(Optional.empty(), Path.of("sensor-engine-state"), 7233, 8233));
        assertThat(config.temporal().namespace()).isEqualTo("default");
        assertThat(config.temporal().taskQueue()).isEqualTo("flyte-sensors");
        assertThat(config.pokeDefaults().interval()).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.pokeDefaults().maxInterval()).isEqualTo(Duration.ofMinutes(10));
        assertThat(config.pokeDefaults().timeout()).isEqualTo(Duration.ofDays(7));
        assertThat(config.worker().sensorAccess().fileRoots()).isEmpty();
        assertThat(config.temporal().uiUrl()).isEmpty();
        assertThat(config.worker().sharedPokeWindow()).isEqualTo(Duration.ofSeconds(1));
        assertThat(config.worker().rateLimits()).isEmpty();
        assertThat(config.worker().sensorAccess().network()).isEqualTo(NetworkPolicy.publicOnly());
    }

    @Test
    void everyOptionCanComeFromTheEnvironmentAndAFlagWins() {
        environment.put("SENSOR_ENGINE_GRPC_PORT", "8100");
        environment.put("SENSOR_ENGINE_FILE_ROOT", "/data,/mnt/in");
        environment.put("SENSOR_ENGINE_DEFAULT_TIMEOUT", "2h");
        environment.put("SENSOR_ENGINE_METRICS_PORT", "9100");

        ServiceConfig config = serve("--metrics-port", "0");

        assertThat(config.api().grpcPort()).isEqualTo(8100);
        assertThat(config.worker().sensorAccess().fileRoots()).containsExactly(Path.of("/data"), Path.of("/mnt/in"));
        assertThat(config.pokeDefaults().timeout()).isEqualTo(Duration.ofHours(2));
        assertThat(config.metricsPort()).isZero();
        assertThat(EnvironmentDefaults.variableFor("--default-poke-interval"))
                .isEqualTo("SENSOR_ENGINE_DEFAULT_POKE_INTERVAL");
    }

    @Test
    void pythonSensorsGoToTheirOwnQueueUnlessTurnedOff() {
        assertThat(serve().temporal().pythonTaskQueue()).isEqualTo("flyte-sensors-python");
        assertThat(engine(serve()).routesToPython()).isTrue();
        // '' turns Python sensors off: an unclaimed sensor class then fails as unknown, as before the worker existed.
        assertThat(engine(serve("--python-task-queue", "")).routesToPython()).isFalse();
        // The worker reads the same variable (python/README.md), so one environment cannot point them apart.
        environment.put("SENSOR_ENGINE_PYTHON_TASK_QUEUE", "team-sensors");
        assertThat(engine(serve()).pythonTaskQueue()).isEqualTo("team-sensors");
        assertThatThrownBy(() -> serve("--python-task-queue", "flyte-sensors"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--python-task-queue must differ from --task-queue (flyte-sensors)");
    }

    private static EngineSettings engine(ServiceConfig config) {
        return config.engineSettings(Duration.ofSeconds(5), "", false);
    }

    @Test
    void anImagesOwnVersionVariableDoesNotFeedVersion() {
        environment.put("SENSOR_ENGINE_VERSION", "0.1.0");

        assertThat(serve().api().grpcPort()).isEqualTo(8000);
    }

    @Test
    void rolesAndLogFormatsParseInAnyCase() {
        assertThat(serve("--role", "worker", "--log-format", "JSON").role()).isEqualTo(Role.WORKER);
        assertThatThrownBy(() -> serve("--role", "everything"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("ALL, API, WORKER");
    }

    @Test
    void rateLimitsAndRepeatedRootsParse() {
        ServiceConfig config = serve(
                "--rate-limit",
                "my-bucket=50/s",
                "--rate-limit",
                "api.example.com=120/m",
                "--file-root",
                "/a",
                "--file-root",
                "/b");

        assertThat(config.worker().rateLimits())
                .containsEntry("my-bucket", 50.0)
                .containsEntry("api.example.com", 2.0);
        assertThat(config.worker().sensorAccess().fileRoots()).containsExactly(Path.of("/a"), Path.of("/b"));
    }

    @Test
    void allowedNetworksRepeatSplitOnCommasAndComeFromTheEnvironment() {
        assertThat(serve("--allow-network", "127.0.0.0/8,10.20.0.0/16", "--allow-network", "fd00::/8")
                        .worker()
                        .sensorAccess()
                        .network()
                        .allowed())
                .containsExactly(Cidr.parse("127.0.0.0/8"), Cidr.parse("10.20.0.0/16"), Cidr.parse("fd00::/8"));

        environment.put("SENSOR_ENGINE_ALLOW_NETWORK", "192.168.0.0/16,127.0.0.1");

        assertThat(serve().worker().sensorAccess().network().allowed())
                .containsExactly(Cidr.parse("192.168.0.0/16"), Cidr.parse("127.0.0.1/32"));
        assertThat(ServiceConfig.inProcess("q")
                        .allowNetworks(List.of("127.0.0.0/8"))
                        .build()
                        .worker()
                        .sensorAccess()
                        .network())
                .isEqualTo(NetworkPolicy.allowing(List.of("127.0.0.0/8")));
    }

    @Test
    void badValuesAreRefusedSayingWhatIsAccepted() {
        assertThatThrownBy(() -> serve("--default-timeout", "abc"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("500ms, 30s, 5m, 2h, 7d or ISO-8601");
        assertThatThrownBy(() -> serve("--default-poke-interval", "0s"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("longer than 0");
        assertThatThrownBy(() -> serve("--rate-limit", "bucket"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("TARGET=N/s");
        assertThatThrownBy(() -> serve("--allow-network", "10.0.0.0/33"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessage("--allow-network: '10.0.0.0/33' needs a prefix from 0 to 32 after the /, e.g. 10.0.0.0/8");
        environment.put("SENSOR_ENGINE_ALLOW_NETWORK", "intranet.example.com");
        assertThatThrownBy(() -> serve())
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageStartingWith("--allow-network: 'intranet.example.com' is not an IP address or CIDR block");
    }

    @Test
    void eventSourcesAreOffUnlessAsked() {
        assertThat(serve().events()).isEqualTo(EventSettings.OFF);
        assertThat(serve().events().enabled()).isFalse();
    }

    @Test
    void eventSourcesParse() {
        environment.put("SENSOR_ENGINE_EVENTS_SQS_QUEUE", "https://sqs.eu-west-1.amazonaws.com/111122223333/uploads");

        EventSettings events = serve(
                        "--events-port",
                        "8090",
                        "--events-token-file",
                        "/run/secrets/events-token",
                        "--events-max-body-size",
                        "64KiB",
                        "--file-root",
                        "/data",
                        "--events-watch-files",
                        "--events-sqs-endpoint",
                        "http://127.0.0.1:5000")
                .events();

        assertThat(events.push()).contains(new PushSettings(8090, Path.of("/run/secrets/events-token"), 64 * 1024));
        assertThat(events.sqs().queueUrls())
                .containsExactly("https://sqs.eu-west-1.amazonaws.com/111122223333/uploads");
        assertThat(events.sqs().endpoint()).contains(URI.create("http://127.0.0.1:5000"));
        assertThat(events.sqs().waitTime()).isEqualTo(Duration.ofSeconds(20));
        assertThat(events.watchFiles()).isTrue();
        assertThat(serve(
                                "--events-sqs-queue",
                                "https://sqs.us-east-1.amazonaws.com/1/a",
                                "--events-sqs-queue",
                                "https://sqs.us-east-1.amazonaws.com/1/b")
                        .events()
                        .sqs()
                        .queueUrls())
                .containsExactly("https://sqs.us-east-1.amazonaws.com/1/a", "https://sqs.us-east-1.amazonaws.com/1/b");
    }

    @Test
    void eventOptionsThatCannotWorkAreRefusedSayingWhy() {
        assertThatThrownBy(() -> serve("--events-port", "8090"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--events-port needs --events-token-file");
        assertThatThrownBy(() -> serve("--events-token-file", "/tmp/t"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--events-port");
        assertThatThrownBy(() -> serve("--events-watch-files"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--file-root");
        assertThatThrownBy(() -> serve("--events-sqs-queue", "uploads"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("queue URL");
        assertThatThrownBy(() -> serve("--events-port", "70000", "--events-token-file", "/tmp/t"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--events-port must be between 1 and 65535");
    }

    @Test
    void requestLimitsDefaultToTheDocumentedValues() {
        assertThat(serve().api().requestLimits())
                .isEqualTo(RequestLimits.DEFAULTS)
                .isEqualTo(new RequestLimits(4 * 1024 * 1024, 64, 65_536, 32, 262_144, 131_072));
    }

    @Test
    void requestLimitsTakeSizesWithUnitsFromFlagsAndTheEnvironment() {
        environment.put("SENSOR_ENGINE_MAX_INPUT_SIZE", "128KiB");
        environment.put("SENSOR_ENGINE_MAX_INPUTS", "10");

        RequestLimits limits = serve(
                        "--max-message-size",
                        "512KiB",
                        "--max-literal-depth",
                        "8",
                        "--max-resource-meta-size",
                        "1MiB",
                        "--max-spec-size",
                        "1000")
                .api()
                .requestLimits();

        assertThat(limits).isEqualTo(new RequestLimits(512 * 1024, 10, 128 * 1024, 8, 1024 * 1024, 1000));
    }

    @Test
    void badRequestLimitsAreRefusedNamingTheFlag() {
        assertThatThrownBy(() -> serve("--max-message-size", "4MB"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--max-message-size")
                .hasMessageContaining("64KiB, 4MiB, 1GiB");
        assertThatThrownBy(() -> serve("--max-input-size", "4GiB"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("more than 2147483647 bytes");
        assertThatThrownBy(() -> serve("--max-inputs", "0"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--max-inputs must be greater than 0");
        assertThatThrownBy(() -> serve("--max-spec-size", "1MiB"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--max-resource-meta-size (262144) must be at least --max-spec-size (1048576)");
    }

    @Test
    void connectionAgeAndKeepaliveDefaultToWhatKubernetesNeedsAndComeFromTheEnvironment() {
        assertThat(serve().api().connections()).isEqualTo(ConnectionSettings.DEFAULTS);

        environment.put("SENSOR_ENGINE_MAX_CONNECTION_AGE", "0s");
        environment.put("SENSOR_ENGINE_PERMIT_KEEPALIVE_TIME", "30s");
        ConnectionSettings set = serve("--max-connection-age-grace", "1m", "--keepalive-time", "2h")
                .api()
                .connections();

        assertThat(set.agesConnections()).isFalse();
        assertThat(set)
                .isEqualTo(new ConnectionSettings(
                        Duration.ZERO,
                        Duration.ofMinutes(1),
                        Duration.ofHours(2),
                        Duration.ofSeconds(20),
                        Duration.ofSeconds(30)));
        assertThatThrownBy(() -> serve("--keepalive-time", "0s"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--keepalive-time must be longer than 0");
    }

    @Test
    void aRegisteredNamespaceKeepsSensorsAtLeastAsLongAsTheyWait() {
        assertThat(serve().temporal().registerNamespace()).isEmpty();
        assertThat(serve("--register-namespace").temporal().registerNamespace()).contains(Duration.ofDays(14));
        environment.put("SENSOR_ENGINE_REGISTER_NAMESPACE", "true");
        environment.put("SENSOR_ENGINE_NAMESPACE_RETENTION", "30d");
        assertThat(serve("--default-timeout", "30d").temporal().registerNamespace())
                .contains(Duration.ofDays(30));

        assertThatThrownBy(() -> serve("--namespace-retention", "3d"))
                .isInstanceOf(CommandLine.ParameterException.class)
                .hasMessageContaining("--namespace-retention (PT72H) must be at least --default-timeout (PT168H)");
    }

    @Test
    void everyCommandHasHelp() {
        for (List<String> command : List.of(
                List.of("--help"),
                List.of("serve", "--help"),
                List.of("client", "--help"),
                List.of("client", "create", "--help"),
                List.of("client", "watch", "--help"))) {
            StringWriter out = new StringWriter();
            int exit = commandLine().setOut(new PrintWriter(out)).execute(command.toArray(String[]::new));
            assertThat(exit).as(command.toString()).isZero();
            assertThat(out.toString()).as(command.toString()).startsWith("Usage: sensor-engine");
        }
    }

    private ServiceConfig serve(String... args) {
        CommandLine commandLine = commandLine();
        String[] all = new String[args.length + 1];
        all[0] = "serve";
        System.arraycopy(args, 0, all, 1, args.length);
        commandLine.parseArgs(all);
        ServeCommand serve = commandLine.getSubcommands().get("serve").getCommand();
        return serve.config();
    }

    private CommandLine commandLine() {
        return Main.commandLine(environment::get);
    }
}
