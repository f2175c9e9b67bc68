package dev.rear.engine.workflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.engine.rescue.RescueBuildException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JDK that jlinks the rescue system's runtime, and where rear runs from. */
class RearDistributionTest {

    @TempDir
    Path tmp;

    Path jdk(String name) throws Exception {
        Path home = tmp.resolve("jvm").resolve(name);
        Files.createDirectories(home.resolve("jmods"));
        Files.writeString(home.resolve("jmods/java.base.jmod"), "");
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("bin/jlink"), "#!/bin/sh\n");
        Files.setPosixFilePermissions(home.resolve("bin/jlink"), PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    @Test
    void aRuntimeWithoutJmodsLeadsToAJdk17Beside() throws Exception {
        Path jre = Files.createDirectories(tmp.resolve("jre"));
        Files.createDirectories(tmp.resolve("jvm/java-11-openjdk-amd64/jmods"));
        Path jdk17 = jdk("java-17-openjdk-amd64");
        assertThat(RearDistribution.jdk(jre, tmp.resolve("jvm"))).isEqualTo(jdk17);
        assertThat(RearDistribution.jdk(jdk17, tmp.resolve("nowhere"))).as("java.home first").isEqualTo(jdk17);
    }

    @Test
    void noJdkNamesThePackage() throws Exception {
        Path jre = Files.createDirectories(tmp.resolve("jre"));
        Files.createDirectories(tmp.resolve("jvm/java-17-openjdk-amd64/bin")); // a JRE: no jmods, no jlink
        assertThatThrownBy(() -> RearDistribution.jdk(jre, tmp.resolve("jvm"))).isInstanceOf(RescueBuildException.class)
                .hasMessageContaining("no JDK with jlink and jmods").hasMessageEndingWith("install openjdk-17-jdk-headless (Debian)");
    }

    @Test
    void aDistributionHasTheLauncherAndTheJars() throws Exception {
        Path d = tmp.resolve("rear");
        Files.createDirectories(d.resolve("bin"));
        Files.createDirectories(d.resolve("lib"));
        assertThat(RearDistribution.isDistribution(d)).isFalse();
        Files.writeString(d.resolve("bin/rear"), "#!/bin/sh\n");
        assertThat(RearDistribution.isDistribution(d)).isTrue();
        if (System.getenv("REAR_HOME") == null) {
            assertThat(RearDistribution.locate()).as("tests run from classes, not from a distribution").isEmpty();
        }
    }
}
