package dev.rear.engine.rescue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.rear.api.command.CommandSpec;
import dev.rear.api.descriptor.Disk;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.engine.descriptor.DescriptorFiles;
import dev.rear.engine.exec.ToolPackages;
import dev.rear.engine.plan.DiskMapping;
import dev.rear.engine.plan.Plan;
import dev.rear.engine.plan.PlanOptions;
import dev.rear.engine.plan.Planner;
import dev.rear.engine.plan.Step;
import dev.rear.engine.plan.TargetDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * {@link RecoveryPrograms} is the one list the rescue system's programs come from: every program a
 * plan of every sample descriptor runs (layout and finalize steps), every program the recovery's
 * code runs directly (executor, finalize actions, discovery of the target disks, checks) must be on
 * it or be a busybox applet — so a new tool in the planner cannot be forgotten in the rescue system.
 */
class RecoveryProgramsTest {

    static final Path SAMPLES = Path.of("..", "descriptors", "samples");
    static final Path MAIN = Path.of("src", "main", "java", "dev", "rear", "engine");

    @Test
    void everyProgramThePlanOfEverySampleRunsIsInTheRescueSystem() throws IOException {
        Map<String, Set<String>> missing = new TreeMap<>();
        Set<String> seen = new TreeSet<>();
        List<Path> samples;
        try (Stream<Path> s = Files.list(SAMPLES)) {
            samples = s.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertThat(samples).hasSizeGreaterThan(3);
        for (Path sample : samples) {
            SystemDescriptor d = DescriptorFiles.load(sample);
            List<TargetDisk> targets = new ArrayList<>();
            char c = 'b';
            for (Disk disk : d.disks()) {
                targets.add(new TargetDisk("/dev/vd" + c++, disk.sizeBytes(), disk.logicalSectorSize(), null, null, null));
            }
            Plan plan = Planner.plan(d, DiskMapping.map(d, targets, Map.of()), PlanOptions.DEFAULTS.withKeyFile("/run/rear/luks.key"));
            for (Step step : plan.steps()) {
                for (CommandSpec cmd : step.commands()) {
                    String program = cmd.program();
                    seen.add(program);
                    if (!RecoveryPrograms.provides(program)) {
                        missing.computeIfAbsent(program, k -> new TreeSet<>()).add(sample.getFileName() + " " + step.id());
                    }
                }
            }
        }
        assertThat(missing).as("programs the plans run that the rescue system would not have").isEmpty();
        // the plans really exercise the storage stack, so the check above means something
        assertThat(seen).contains("sfdisk", "wipefs", "mdadm", "pvcreate", "vgcreate", "lvcreate", "cryptsetup", "mkfs.xfs", "mkswap",
                "mount", "mkdir");
    }

    /** {@code CommandSpec.of("prog"} and discovery's {@code query(component, required, what, "prog"}: the first one-word literal after the flag. */
    static final Pattern DIRECT = Pattern.compile("CommandSpec\\.of\\(\"([^\"]+)\"|query\\([^;]*?, (?:true|false), [^;]*?\"([a-z][a-z0-9._-]*)\"");

    @Test
    void everyProgramTheRecoveryCodeRunsDirectlyIsInTheRescueSystem() throws IOException {
        Map<String, String> missing = new TreeMap<>();
        Set<String> seen = new TreeSet<>();
        for (String pkg : List.of("recover", "plan", "discovery")) {
            try (Stream<Path> s = Files.walk(MAIN.resolve(pkg))) {
                for (Path f : s.filter(p -> p.toString().endsWith(".java")).toList()) {
                    Matcher m = DIRECT.matcher(Files.readString(f));
                    while (m.find()) {
                        String program = m.group(1) != null ? m.group(1) : m.group(2);
                        seen.add(program);
                        if (!RecoveryPrograms.provides(program)) {
                            missing.put(program, f.getFileName().toString());
                        }
                    }
                }
            }
        }
        assertThat(missing).as("programs the recovery runs that the rescue system would not have").isEmpty();
        assertThat(seen).as("found: %s", seen).contains("efibootmgr", "blkid", "umount", "udevadm", "lsblk", "ip", "cryptsetup");
    }

    @Test
    void everyProgramNamesItsPackageAndAgreesWithToolPackages() {
        for (RecoveryPrograms.Program p : RecoveryPrograms.all()) {
            assertThat(p.debianPackage()).as(p.name()).isNotBlank();
            String other = ToolPackages.debianPackageOf(p.name());
            if (other != null) {
                assertThat(p.debianPackage()).as("package of %s here and in ToolPackages", p.name()).isEqualTo(other);
            }
        }
        assertThat(RecoveryPrograms.all()).extracting(RecoveryPrograms.Program::name).doesNotHaveDuplicates();
        assertThat(RecoveryPrograms.debianPackageOf("/usr/sbin/mdadm")).isEqualTo("mdadm");
        assertThat(RecoveryPrograms.debianPackageOf("bconsole")).isEqualTo("bacula-console");
        assertThat(RecoveryPrograms.provides("udhcpc")).isTrue();
        assertThat(RecoveryPrograms.provides("update-initramfs")).as("runs in the restored system, not the rescue system").isFalse();
    }
}
