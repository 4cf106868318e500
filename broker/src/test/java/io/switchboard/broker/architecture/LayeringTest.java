package io.switchboard.broker.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The package layering of the broker, as docs/architecture.md states it: each layer may use only
 * the layers below it, and no two packages depend on each other. Lowest first:
 * config, metrics, logging (leaves) ← message ← auth ← routing ← storage ← delivery ← session ←
 * protocol ← transport, sys ← the root package (Broker, the one place that wires them).
 */
class LayeringTest {
    private static final JavaClasses BROKER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.switchboard.broker");

    @Test
    void layersOnlyUseLayersBelowThem() {
        layeredArchitecture().consideringOnlyDependenciesInLayers().withOptionalLayers(true)
                .layer("Root").definedBy("io.switchboard.broker")
                .layer("Transport").definedBy("io.switchboard.broker.transport..")
                .layer("Sys").definedBy("io.switchboard.broker.sys..")
                .layer("Protocol").definedBy("io.switchboard.broker.protocol..")
                .layer("Session").definedBy("io.switchboard.broker.session..")
                .layer("Delivery").definedBy("io.switchboard.broker.delivery..")
                .layer("Storage").definedBy("io.switchboard.broker.storage..")
                .layer("Routing").definedBy("io.switchboard.broker.routing..")
                .layer("Message").definedBy("io.switchboard.broker.message..")
                .layer("Auth").definedBy("io.switchboard.broker.auth..")
                .layer("Config").definedBy("io.switchboard.broker.config..")
                .layer("Metrics").definedBy("io.switchboard.broker.metrics..")
                .layer("Logging").definedBy("io.switchboard.broker.logging..")
                .whereLayer("Root").mayNotBeAccessedByAnyLayer()
                .whereLayer("Transport").mayOnlyBeAccessedByLayers("Root")
                .whereLayer("Sys").mayOnlyBeAccessedByLayers("Root")
                .whereLayer("Protocol").mayOnlyBeAccessedByLayers("Transport", "Sys", "Root")
                .whereLayer("Session").mayOnlyBeAccessedByLayers("Protocol", "Transport", "Sys", "Root")
                .whereLayer("Delivery").mayOnlyBeAccessedByLayers("Session", "Protocol", "Transport", "Sys", "Root")
                // storage depends on none of protocol, delivery or session
                .whereLayer("Storage").mayOnlyBeAccessedByLayers("Delivery", "Session", "Protocol", "Transport",
                        "Sys", "Root")
                .whereLayer("Routing").mayOnlyBeAccessedByLayers("Storage", "Delivery", "Session", "Protocol",
                        "Transport", "Sys", "Root")
                // auth decides on a delivery with its message (reply rights)
                .whereLayer("Message").mayOnlyBeAccessedByLayers("Auth", "Storage", "Delivery", "Session", "Protocol",
                        "Transport", "Sys", "Root")
                .whereLayer("Auth").mayOnlyBeAccessedByLayers("Session", "Protocol", "Transport", "Sys", "Root")
                .check(BROKER);
    }

    @Test
    void leavesDependOnNoOtherBrokerPackage() {
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .that().resideInAnyPackage("io.switchboard.broker.config..", "io.switchboard.broker.metrics..",
                        "io.switchboard.broker.logging..")
                .should().dependOnClassesThat().resideInAnyPackage("io.switchboard.broker.transport..",
                        "io.switchboard.broker.protocol..", "io.switchboard.broker.session..",
                        "io.switchboard.broker.delivery..", "io.switchboard.broker.storage..",
                        "io.switchboard.broker.routing..", "io.switchboard.broker.message..",
                        "io.switchboard.broker.auth..", "io.switchboard.broker.sys..")
                .check(BROKER);
    }

    @Test
    void noPackageCycles() {
        slices().matching("io.switchboard.broker.(*)..").should().beFreeOfCycles().check(BROKER);
    }

    @Test
    void noServiceLocator() {
        // Style rule 15: no context object that every package imports.
        com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses()
                .should().haveSimpleNameEndingWith("Context")
                .orShould().haveSimpleNameEndingWith("Locator")
                .check(BROKER);
    }
}
