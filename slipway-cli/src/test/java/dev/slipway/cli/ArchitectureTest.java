package dev.slipway.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** The module arrows of the architecture, checked on the compiled classes of every module. */
class ArchitectureTest {
    static final JavaClasses CLASSES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.slipway");

    static final String[] CORE = {
        "dev.slipway.manifest..",
        "dev.slipway.contract..",
        "dev.slipway.inference..",
        "dev.slipway.parity..",
        "dev.slipway.config..",
        "dev.slipway.registry..",
        "dev.slipway.security..",
        "dev.slipway.drift..",
        "dev.slipway.slo..",
        "dev.slipway.rollout..",
        "dev.slipway.observe.."
    };

    @Test
    void apiDependsOnNothingOfOurs() {
        noClasses()
                .that()
                .resideInAPackage("dev.slipway.api..")
                .or()
                .resideInAPackage("dev.slipway.spi..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(CORE, "dev.slipway.engine..", "dev.slipway.server..", "dev.slipway.cli.."))
                .check(CLASSES);
    }

    @Test
    void enginesTouchNeitherCoreNorServer() {
        noClasses()
                .that()
                .resideInAPackage("dev.slipway.engine..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(concat(CORE, "dev.slipway.server..", "dev.slipway.cli.."))
                .check(CLASSES);
    }

    @Test
    void coreSeesNoEngineNoNetworkServerAndNoCli() {
        noClasses()
                .that()
                .resideInAnyPackage(CORE)
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "dev.slipway.engine..",
                        "dev.slipway.server..",
                        "dev.slipway.cli..",
                        "io.netty..",
                        "io.grpc..",
                        "ai.onnxruntime..",
                        "ml.dmlc..",
                        "dev.cel..",
                        "com.sun.net.httpserver..")
                .check(CLASSES);
    }

    @Test
    void serverDoesNotReachIntoTheCli() {
        noClasses()
                .that()
                .resideInAPackage("dev.slipway.server..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("dev.slipway.cli..", "dev.slipway.engine..")
                .check(CLASSES);
    }

    @Test
    void corePackagesAreFreeOfCycles() {
        slices().matching("dev.slipway.(*)..").should().beFreeOfCycles().check(CLASSES);
    }

    @Test
    void timeIsReadOnlyThroughTheTicker() {
        noClasses()
                .that()
                .doNotHaveFullyQualifiedName("dev.slipway.api.Ticker")
                .should()
                .callMethod(System.class, "nanoTime")
                .orShould()
                .callMethod(System.class, "currentTimeMillis")
                .check(CLASSES);
    }

    private static String[] concat(String[] first, String... more) {
        String[] all = java.util.Arrays.copyOf(first, first.length + more.length);
        System.arraycopy(more, 0, all, first.length, more.length);
        return all;
    }
}
