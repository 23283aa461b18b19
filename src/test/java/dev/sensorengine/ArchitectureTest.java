package dev.sensorengine;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The import rules that each package's {@code package-info.java} states, checked on the compiled classes. */
class ArchitectureTest {

    private static final String P = "dev.sensorengine.";
    private static final String[] SENSOR_FAMILIES = {
        P + "sensors.file..", P + "sensors.http..", P + "sensors.sql..", P + "sensors.time.."
    };

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.sensorengine");
    }

    @Test
    void theFacadeKnowsGrpcAndNotTemporal() {
        check(noClasses()
                .that()
                .resideInAPackage(P + "facade..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.temporal..", P + "workflow..", P + "sensors..", P + "runtime..", P + "bench.."));
    }

    @Test
    void theWorkflowKnowsTemporalAndNotGrpc() {
        check(noClasses()
                .that()
                .resideInAPackage(P + "workflow")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.grpc..",
                        P + "facade..",
                        P + "engine..",
                        P + "runtime..",
                        P + "sensors..",
                        P + "workflow.poke.."));
        check(noClasses()
                .that()
                .resideInAPackage(P + "workflow.poke..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.grpc..", P + "facade..", P + "engine..", P + "runtime..", P + "bench.."));
        check(noClasses()
                .that()
                .resideInAPackage(P + "workflow.poke..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SENSOR_FAMILIES));
    }

    @Test
    void sensorsKnowNeitherTemporalNorGrpc() {
        check(noClasses()
                .that()
                .resideInAPackage(P + "sensors..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.temporal..",
                        "io.grpc..",
                        P + "workflow..",
                        P + "engine..",
                        P + "facade..",
                        P + "runtime..",
                        P + "literals..",
                        P + "bench..",
                        P + "flyteidl.."));
    }

    @Test
    void thePluginApiPullsInNoSensorFamily() {
        check(noClasses()
                .that()
                .resideInAPackage(P + "sensors")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SENSOR_FAMILIES));
        check(noClasses()
                .that()
                .resideInAPackage(P + "sensors.network..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(P + "sensors"));
    }

    @Test
    void theEngineKnowsNeitherTheFacadeNorTheWireNorASensorFamily() {
        check(noClasses()
                .that()
                .resideInAPackage(P + "engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(P + "facade..", P + "runtime..", P + "bench..", P + "flyteidl.."));
        check(noClasses()
                .that()
                .resideInAPackage(P + "engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(SENSOR_FAMILIES));
    }

    @Test
    void literalsKnowOnlyTheWire() {
        check(noClasses()
                .that()
                .resideInAPackage(P + "literals..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        P + "engine..",
                        P + "facade..",
                        P + "workflow..",
                        P + "sensors..",
                        P + "runtime..",
                        P + "bench..",
                        "io.temporal..",
                        "io.grpc.."));
    }

    @Test
    void eventSourcesKnowTheEventContractAndNoTemporalNorGrpc() {
        check(noClasses()
                .that()
                .resideInAPackage(P + "events..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.temporal..",
                        "io.grpc..",
                        P + "facade..",
                        P + "runtime..",
                        P + "workflow..",
                        P + "sensors..",
                        P + "literals..",
                        P + "bench..",
                        P + "flyteidl.."));
        // Of the engine, only the contract between sources and waking: not the engine's Temporal side.
        check(noClasses()
                .that()
                .resideInAPackage(P + "events..")
                .should()
                .dependOnClassesThat(JavaClass.Predicates.resideInAPackage(P + "engine")
                        .and(DescribedPredicate.not(JavaClass.Predicates.simpleNameStartingWith("ObjectEvent")
                                .or(JavaClass.Predicates.simpleNameStartingWith("EventWaker"))
                                .or(JavaClass.Predicates.simpleNameStartingWith("WakeReport"))
                                .or(JavaClass.Predicates.simpleNameStartingWith("TemporalUnavailableException"))
                                .or(JavaClass.Predicates.simpleNameStartingWith("InvalidRequestException"))
                                .or(JavaClass.Predicates.simpleNameStartingWith("EngineException"))))));
        // Only the runtime starts the sources.
        check(noClasses()
                .that()
                .resideOutsideOfPackages(P + "events..", P + "runtime..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(P + "events.."));
    }

    @Test
    void theRuntimeDoesNotNeedTheBenchmark() {
        check(noClasses()
                .that()
                .resideInAPackage(P + "runtime..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage(P + "bench.."));
    }

    @Test
    void noPackagesDependOnEachOtherInACircle() {
        check(slices().matching("dev.sensorengine.(*)..").should().beFreeOfCycles());
        check(slices().matching("dev.sensorengine.sensors.(*)..").should().beFreeOfCycles());
    }

    private static void check(ArchRule rule) {
        rule.check(classes);
    }
}
