package io.gatehouse.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Keeps ARCHITECTURE.md's "dependencies flow one way" true for the feature packages. */
class PackageDependenciesTest {

    private static JavaClasses portal;

    @BeforeAll
    static void importClasses() {
        portal = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS).importPackages("io.gatehouse");
    }

    @Test
    void featurePackagesHaveNoCycles() {
        slices().matching("io.gatehouse.(*)..").should().beFreeOfCycles().check(portal);
    }

    @Test
    void signInKnowsSingleSignOnOnlyThroughItsInterface() {
        noClasses().that().resideInAPackage("io.gatehouse.auth..")
                .should().dependOnClassesThat().resideInAnyPackage("io.gatehouse.sso..", "io.gatehouse.mfa..", "io.gatehouse.access..")
                .check(portal);
    }

    @Test
    void theSecondFactorDoesNotReachIntoSsoOrUserAdministration() {
        noClasses().that().resideInAPackage("io.gatehouse.mfa..")
                .should().dependOnClassesThat().resideInAnyPackage("io.gatehouse.sso..", "io.gatehouse.access..")
                .check(portal);
    }
}
