package dev.atelier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Keeps the floors of docs/ARCHITECTURE.md true: no package cycles; the ground floor, the engines, image/, train/,
 * runtime/ and the services know nothing of JavaFX, picocli or the command line; the UI uses no DJL and no
 * command line; the command line no UI.
 */
class ArchitectureTest {
    /** The main classes only, read from the build output (scanning the classpath would read every jar). */
    private static final JavaClasses MAIN = new ClassFileImporter().importPath(Path.of("target/classes"));

    private static final String[] BELOW_THE_FRONT_ENDS = {"dev.atelier.base..", "dev.atelier.consistency..",
        "dev.atelier.text..", "dev.atelier.image..", "dev.atelier.train..", "dev.atelier.runtime..",
        "dev.atelier.app.."};

    @Test
    void thereAreNoPackageCycles() {
        slices().matching("dev.atelier.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void noPackageOrSubPackageIsInACycle() {
        slices().matching("dev.atelier.(**)").should().beFreeOfCycles().check(MAIN);
    }

    @Test
    void nothingBelowTheFrontEndsImportsJavaFxPicocliOrTheCommandLine() {
        noClasses().that().resideInAnyPackage(BELOW_THE_FRONT_ENDS)
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..", "picocli..",
                        "dev.atelier.cli..", "dev.atelier.ui..")
                .check(MAIN);
    }

    @Test
    void theGroundFloorDependsOnNothingAboveIt() {
        noClasses().that().resideInAPackage("dev.atelier.base..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.atelier.consistency..", "dev.atelier.text..",
                        "dev.atelier.image..", "dev.atelier.train..", "dev.atelier.runtime..", "dev.atelier.app..")
                .check(MAIN);
    }

    @Test
    void theUiNeverUsesDjlOrTheCommandLine() {
        noClasses().that().resideInAPackage("dev.atelier.ui..")
                .should().dependOnClassesThat().resideInAnyPackage("ai.djl..", "dev.atelier.cli..")
                .check(MAIN);
    }

    @Test
    void theCommandLineNeverUsesTheUi() {
        noClasses().that().resideInAPackage("dev.atelier.cli..")
                .should().dependOnClassesThat().resideInAPackage("dev.atelier.ui..")
                .check(MAIN);
    }

    /** A rule over an empty import would pass whatever the code: make sure the classes were found. */
    @Test
    void theRulesSeeTheCode() {
        org.junit.jupiter.api.Assertions.assertTrue(MAIN.contain("dev.atelier.app.Services")
                && MAIN.contain("dev.atelier.cli.AtelierCommand") && MAIN.size() > 100, "classes: " + MAIN.size());
    }
}
