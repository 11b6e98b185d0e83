package dev.atelier;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the layering of DESIGN.md true: engines know nothing of JavaFX, the UI nothing of DJL. */
class ArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.atelier");

    @Test
    void enginesAndRuntimeNeverImportJavaFx() {
        noClasses().that().resideInAnyPackage("dev.atelier.consistency..", "dev.atelier.text..",
                        "dev.atelier.runtime..")
                .should().dependOnClassesThat().resideInAnyPackage("javafx..", "org.controlsfx..")
                .check(MAIN);
    }

    @Test
    void theUiNeverUsesDjlDirectly() {
        noClasses().that().resideInAPackage("dev.atelier.ui..")
                .should().dependOnClassesThat().resideInAPackage("ai.djl..")
                .check(MAIN);
    }
}
