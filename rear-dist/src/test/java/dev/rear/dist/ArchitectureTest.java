package dev.rear.dist;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The module rules of DESIGN §2, checked on the compiled classes of every module (this module
 * depends on all of them): the API, the providers and the provider test kit never reach into the
 * engine, nothing shipped depends on the test kit, and only the CLI ends the process.
 */
class ArchitectureTest {

    private static JavaClasses rear;

    @BeforeAll
    static void importClasses() {
        rear = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("dev.rear");
    }

    @Test
    void importsEveryModule() {
        // Guards the rules below against passing vacuously on an empty import.
        assertThat(rear.containPackage("dev.rear.api.descriptor")).isTrue();
        assertThat(rear.containPackage("dev.rear.engine.cli")).isTrue();
        assertThat(rear.containPackage("dev.rear.engine.descriptor")).isTrue();
        assertThat(rear.containPackage("dev.rear.api.spi")).isTrue();
        assertThat(rear.containPackage("dev.rear.engine.provider")).isTrue();
        assertThat(rear.containPackage("dev.rear.testkit")).isTrue();
    }

    @Test
    void apiDependsOnNothingOfTheEngine() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.rear.api..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.rear.engine..", "dev.rear.provider..")
                .because("integrators compile against rear-api alone");
        rule.check(rear);
    }

    @Test
    void apiUsesOnlyItsDeclaredLibraries() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.rear.api..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "com.fasterxml.jackson.databind..", "com.fasterxml.jackson.core..", "org.hibernate..",
                        "picocli..", "org.apache.commons..", "com.sun.jna..", "com.networknt..", "org.slf4j..")
                .because("rear-api depends on jackson-annotations, jakarta.validation-api and jspecify only");
        rule.check(rear);
    }

    @Test
    void providersDoNotDependOnTheEngine() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.rear.provider..")
                .should().dependOnClassesThat().resideInAPackage("dev.rear.engine..")
                .allowEmptyShould(true)
                .because("a provider is a plugin compiled against rear-api alone");
        rule.check(rear);
    }

    @Test
    void testkitDependsOnNothingOfTheEngine() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.rear.testkit..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.rear.engine..", "dev.rear.provider..")
                .because("an integrator tests a plugin with rear-testkit and rear-api alone, as the shipped providers do");
        rule.check(rear);
    }

    @Test
    void testkitUsesOnlyItsDeclaredLibraries() {
        ArchRule rule = noClasses().that().resideInAPackage("dev.rear.testkit..")
                .should().dependOnClassesThat().resideInAnyPackage(
                        "com.fasterxml.jackson..", "org.hibernate..", "picocli..", "org.apache.commons..", "com.sun.jna..",
                        "com.networknt..", "org.slf4j..", "net.jqwik..")
                .because("rear-testkit depends on rear-api, JUnit Jupiter's API, AssertJ and jspecify only");
        rule.check(rear);
    }

    @Test
    void nothingShippedDependsOnTheTestkit() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("dev.rear.testkit..")
                .should().dependOnClassesThat().resideInAPackage("dev.rear.testkit..")
                .because("rear-testkit is a test library; it is not in the distribution");
        rule.check(rear);
    }

    @Test
    void onlyTheCliEndsTheProcess() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("dev.rear.engine.cli")
                .should().callMethod(System.class, "exit", int.class)
                .orShould().callMethod(Runtime.class, "exit", int.class)
                .orShould().callMethod(Runtime.class, "halt", int.class)
                .because("only the CLI turns an outcome into an exit code");
        rule.check(rear);
    }

    @Test
    void onlyTheCliKnowsPicocli() {
        ArchRule rule = noClasses().that().resideOutsideOfPackage("dev.rear.engine.cli")
                .should().dependOnClassesThat().resideInAPackage("picocli..")
                .because("the CLI is the only layer that parses command lines");
        rule.check(rear);
    }
}
