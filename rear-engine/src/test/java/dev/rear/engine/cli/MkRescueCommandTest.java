package dev.rear.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rear.api.descriptor.SystemDescriptor;
import dev.rear.api.event.StepSucceeded;
import dev.rear.api.spi.ProgressSink;
import dev.rear.engine.config.OutputMethod;
import dev.rear.engine.descriptor.DescriptorJson;
import dev.rear.engine.discovery.Discovery;
import dev.rear.engine.discovery.DiscoveryOptions;
import dev.rear.engine.discovery.DiscoveryResult;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.output.OutputException;
import dev.rear.engine.output.OutputRequest;
import dev.rear.engine.output.OutputResult;
import dev.rear.engine.output.RescueOutput;
import dev.rear.engine.provider.ImageStoringProvider;
import dev.rear.engine.provider.ProviderRegistry;
import dev.rear.engine.provider.RescueNeedsProvider;
import dev.rear.engine.provider.TestProviders;
import dev.rear.engine.rescue.RescueBuildException;
import dev.rear.engine.rescue.RescueBuilder;
import dev.rear.engine.rescue.RescueImage;
import dev.rear.engine.rescue.RescueSpec;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * mkrescue, mkbackup and their simulation through the CLI, with the rescue builder and the output
 * replaced by fakes that record what they were asked (the {@link RescueSpec}, the {@link OutputRequest}),
 * discovery by a sample descriptor (LUKS2 + LVM + ext4 + vfat, GRUB for UEFI), and a provider with
 * needs in the rescue system (a program, a secret file, a secret variable, a module, a daemon).
 */
class MkRescueCommandTest {

    static final Path SAMPLE = Path.of("..", "descriptors", "samples", "uefi-luks2-lvm.json");
    static final String RELEASE = "6.1.0-99-test";

    @TempDir
    Path tmp;

    Path conf;
    Path host;
    Path store;
    Path isoDir;
    final AtomicReference<@Nullable RescueSpec> spec = new AtomicReference<>();
    final AtomicReference<@Nullable OutputRequest> request = new AtomicReference<>();
    @Nullable RuntimeException builderFails;
    @Nullable RuntimeException outputFails;
    Optional<Path> distribution;
    Services services;
    Class<?> providerClass = RescueNeedsProvider.class;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void setUp() throws Exception {
        conf = Files.createDirectories(tmp.resolve("etc-rear"));
        host = Files.createDirectories(tmp.resolve("host"));
        store = Files.createDirectories(tmp.resolve("backup"));
        isoDir = tmp.resolve("output");
        Files.createDirectories(host.resolve("boot"));
        Files.write(host.resolve("boot/vmlinuz-custom"), bzImage(RELEASE + " (builder@example) #1 SMP PREEMPT_DYNAMIC Debian 6.1.99-1"));
        Files.createDirectories(host.resolve("lib/modules/" + RELEASE + "/kernel/drivers"));
        Files.createDirectories(host.resolve("etc/rear"));
        Path dist = Files.createDirectories(tmp.resolve("dist/bin"));
        Files.writeString(dist.resolve("rear"), "#!/bin/sh\n");
        Files.createDirectories(tmp.resolve("dist/lib"));
        distribution = Optional.of(tmp.resolve("dist"));
        Files.writeString(conf.resolve("local.conf"), String.join("\n",
                "BACKUP=NETFS", "BACKUP_URL=file://" + store, "KERNEL_FILE=/boot/vmlinuz-custom", "MODULES=( nvme raid1 )",
                "REQUIRED_PROGS=( bash rsync )", "PROGS=( vim )", "COPY_AS_IS=( /etc/rear /opt/not-here )", "ISO_DIR=" + isoDir,
                "BACKUP_PROG_CRYPT_KEY='s3cret-value'", ""));
        SystemDescriptor sample = DescriptorJson.bind(DescriptorJson.mapper().readTree(SAMPLE.toFile()), "sample");
        services = new Services() {
            @Override
            public Discovery discovery(DiscoveryOptions options) {
                return () -> new DiscoveryResult(sample, List.of());
            }

            @Override
            public ProviderRegistry providers() {
                return ProviderRegistry.load(TestProviders.offering(tmp, providerClass));
            }

            @Override
            public RescueBuilder rescueBuilder() {
                return (RescueSpec s, dev.rear.api.command.CommandRunner runner, ProgressSink progress) -> {
                    spec.set(s);
                    if (builderFails != null) {
                        throw builderFails;
                    }
                    try {
                        Files.writeString(s.outputFile(), "initramfs");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                    return new RescueImage(s.kernelFile(), s.outputFile(), s.kernelRelease(), 45_000_000L, 160_000_000L, 2345,
                            Duration.ofMillis(12_300), List.of("nvme", "raid1", "dm-crypt"), List.of("bash", "sfdisk", "bconsole"),
                            List.of(new RescueImage.LeftOut("/root/.ssh/id_ed25519", "private SSH key without passphrase")), List.of());
                };
            }

            @Override
            public RescueOutput output(OutputMethod method) {
                return (image, req, runner) -> {
                    request.set(req);
                    if (outputFails != null) {
                        throw outputFails;
                    }
                    try {
                        Files.createDirectories(req.outputDir());
                        Path iso = req.outputDir().resolve(req.isoPrefix() + ".iso");
                        Files.writeString(iso, "iso");
                        return new OutputResult(List.of(iso), List.of(), "ISO " + iso + " (3 B), BIOS and UEFI");
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                };
            }

            @Override
            public Optional<Path> distribution() {
                return distribution;
            }
        };
    }

    /** The first bytes of an x86 bzImage: the setup header's magic and the pointer to the version string. */
    static byte[] bzImage(String version) {
        byte[] b = new byte[0x1000];
        b[0x202] = 'H';
        b[0x203] = 'd';
        b[0x204] = 'r';
        b[0x205] = 'S';
        int offset = 0x300;
        b[0x20e] = (byte) (offset & 0xff);
        b[0x20f] = (byte) (offset >> 8);
        byte[] v = version.getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(v, 0, b, 0x200 + offset, v.length);
        return b;
    }

    Run rear(String... args) {
        List<String> all = new ArrayList<>(List.of("-c", conf.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rear.run(new PrintWriter(out), new PrintWriter(err), services, all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    String[] workflow(String name, String... more) {
        List<String> a = new ArrayList<>(List.of(name, "--layout-dir", tmp.resolve("layout").toString(), "--root", host.toString(),
                "--work-dir", tmp.resolve("work").toString(), "--journal", tmp.resolve(name + ".jsonl").toString()));
        a.addAll(List.of(more));
        return a.toArray(String[]::new);
    }

    @Test
    void theSpecComesFromTheConfigurationTheLayoutAndTheProvider() throws Exception {
        Run r = rear(workflow("mkrescue"));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        RescueSpec s = spec.get();
        assertThat(s).isNotNull();
        assertThat(s.hostRoot()).isEqualTo(host);
        assertThat(s.kernelFile()).isEqualTo(Path.of("/boot/vmlinuz-custom"));
        assertThat(s.kernelRelease()).as("read from the image's header, KERNEL_VERSION not being set").isEqualTo(RELEASE);
        assertThat(s.modules()).containsExactly("nvme", "raid1");
        assertThat(s.requiredPrograms()).as("every recovery's, this layout's (LUKS, LVM, ext4, vfat, GRUB for UEFI), REQUIRED_PROGS")
                .contains("sfdisk", "wipefs", "mount", "cryptsetup", "lvm", "vgchange", "mkfs.ext4", "mkfs.vfat", "mkswap",
                        "grub-install", "efibootmgr", "bash", "rsync")
                .doesNotContain("mkfs.xfs", "mdadm", "vim");
        assertThat(s.optionalPrograms()).contains("vim", "mkfs.xfs", "mdadm").doesNotContainAnyElementsOf(s.requiredPrograms());
        assertThat(s.provider().programs()).containsExactly("bconsole");
        assertThat(s.provider().kernelModules()).containsExactly("nfs");
        assertThat(s.provider().secretItems()).containsExactly("/etc/bacula/bconsole.conf", "FAKE_PASSWORD");
        assertThat(s.copyAsIs()).containsExactly("/etc/rear");
        assertThat(s.copyAsIsExclude()).as("the backup, the output, the cache and every run's work directory")
                .contains(store.toString(), isoDir.toString(), "/var/cache/rear", tmp.resolve("work").toString())
                .anyMatch(x -> x.startsWith(tmp.resolve("work").toString()));
        assertThat(s.descriptor()).isEqualTo(tmp.resolve("layout/descriptor.json"));
        assertThat(s.descriptor()).exists();
        assertThat(s.configFiles()).containsExactly(conf.resolve("local.conf"));
        assertThat(s.distribution()).isEqualTo(tmp.resolve("dist"));
        assertThat(s.javaHome().resolve("jmods/java.base.jmod")).exists();
        assertThat(s.compression()).isEqualTo(RescueSpec.Compression.ZSTD);
        assertThat(s.outputFile().getFileName()).hasToString("initrd.cpio.zst");
        assertThat(s.outputFile().getParent().getParent()).isEqualTo(tmp.resolve("work"));
        assertThat(s.firmwareFiles()).isEmpty();

        OutputRequest req = request.get();
        assertThat(req).isNotNull();
        assertThat(req.method()).isEqualTo(OutputMethod.ISO);
        assertThat(req.outputDir()).isEqualTo(isoDir);
        assertThat(req.outputUrl()).as("OUTPUT_URL defaults to BACKUP_URL, as in ReaR").isEqualTo("file://" + store);
        assertThat(req.volumeId()).isEqualTo("RELAXRECOVER");

        assertThat(r.out()).contains("mkrescue: layout saved to " + tmp.resolve("layout/descriptor.json"),
                "initramfs   42.9 MiB compressed, 152.6 MiB uncompressed, 2,345 entries", "build time  12.3 s",
                "contents    3 kernel modules, 3 programs",
                "secrets     left out: /etc/bacula/bconsole.conf, FAKE_PASSWORD, BACKUP_PROG_CRYPT_KEY, /root/.ssh/id_ed25519",
                "Output: ISO " + isoDir.resolve("rear-") , "COPY_AS_IS: /opt/not-here does not exist on this machine; left out");
        assertThat(r.out() + r.err()).doesNotContain("s3cret-value");
        String verdict = r.out().lines().reduce((a, b) -> b).orElseThrow();
        assertThat(verdict).startsWith("mkrescue: succeeded in ").contains(isoDir.toString(), "journal " + tmp.resolve("mkrescue.jsonl"));
        assertThat(tmp.resolve("work")).isEmptyDirectory();

        Map<String, Map<String, String>> steps = succeeded(tmp.resolve("mkrescue.jsonl"));
        assertThat(steps.keySet()).containsExactly("rescue", "output");
        assertThat(steps.get("rescue")).containsEntry("initrdBytes", "45000000").containsEntry("kernelRelease", RELEASE);
        assertThat(steps.get("output").get("artifact.1")).startsWith(isoDir.toString());
    }

    static Map<String, Map<String, String>> succeeded(Path journal) {
        Map<String, Map<String, String>> m = new java.util.LinkedHashMap<>();
        JournalReader.read(journal).events().stream().filter(StepSucceeded.class::isInstance).map(StepSucceeded.class::cast)
                .forEach(s -> m.put(s.stepId(), s.facts()));
        return m;
    }

    @Test
    void mkbackupMakesTheRescueSystemThenTheBackupInOneJournal() throws Exception {
        Path src = Files.createDirectories(tmp.resolve("src"));
        Run r = rear(workflow("mkbackup", "--json"));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        assertThat(doc.get("workflow").asText()).isEqualTo("mkbackup");
        assertThat(doc.get("verdict").asText()).isEqualTo("succeeded");
        assertThat(doc.get("image").get("initrdBytes").asLong()).isEqualTo(45_000_000L);
        assertThat(doc.get("backup").get("restorePoint").asText()).isEqualTo("rp-1");
        assertThat(doc.get("leftOut").toString()).contains("BACKUP_PROG_CRYPT_KEY").doesNotContain("s3cret");
        assertThat(succeeded(tmp.resolve("mkbackup.jsonl")).keySet()).containsExactly("rescue", "output", "backup");
        assertThat(Files.readAllLines(store.resolve("calls")).get(0)).as("the backup of the discovered layout's mountpoints")
                .startsWith("backup / [/, /boot, /boot/efi, /home]");
        assertThat(src).exists();
    }

    @Test
    void aMissingKernelIsNamedWithWhatThisMachineHas() throws Exception {
        Files.writeString(conf.resolve("local.conf"), "BACKUP=NETFS\nBACKUP_URL=file://" + store + "\nKERNEL_VERSION=6.9.9-gone\n");
        Run r = rear(workflow("mkrescue"));
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("the rescue system's kernel /boot/vmlinuz-6.9.9-gone (KERNEL_VERSION=6.9.9-gone) does not exist;"
                + " this machine has /boot/vmlinuz-custom: set KERNEL_FILE=/boot/vmlinuz-custom", "rear mkrescue: FAILED (exit 4");
        assertThat(spec.get()).as("nothing was built").isNull();
    }

    @Test
    void aFailedBuildEndsTheJournalAndNamesTheStep() throws Exception {
        builderFails = new RescueBuildException("the required program rsync is not installed (Debian package rsync)");
        Run r = rear(workflow("mkrescue"));
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("rsync is not installed (Debian package rsync)");
        assertThat(r.out().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("mkrescue: FAILED at step rescue (exit 4); journal "
                + tmp.resolve("mkrescue.jsonl"));
        assertThat(request.get()).as("no output without an image").isNull();
        assertThat(JournalReader.read(tmp.resolve("mkrescue.jsonl")).state().finished().verdict().name()).isEqualTo("FAILED");
    }

    @Test
    void aFailedOutputIsAnIoError() {
        outputFails = new OutputException("xorriso failed: no space left on device");
        Run r = rear(workflow("mkrescue"));
        assertThat(r.code()).isEqualTo(7);
        assertThat(r.out()).contains("mkrescue: FAILED at step output (exit 7)");
    }

    @Test
    void rearOutsideItsDistributionSaysHowToRunIt() {
        distribution = Optional.empty();
        Run r = rear(workflow("mkrescue"));
        assertThat(r.code()).isEqualTo(4);
        assertThat(r.err()).contains("rear runs from its classes, not from its distribution", "run bin/rear");
    }

    @Test
    void simulationWithNoConfigurationShowsTheEmbeddedDefaultAndTouchesNothing() throws Exception {
        Path none = Files.createDirectories(tmp.resolve("none"));
        Path bare = Files.createDirectories(tmp.resolve("bare-host"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rear.run(new PrintWriter(out), new PrintWriter(err), services, "-c", none.toString(), "-s", "mkbackup",
                "--layout-dir", tmp.resolve("layout").toString(), "--root", bare.toString());
        String host = dev.rear.engine.config.RearConfig.Host.current().hostname();
        String release = dev.rear.engine.config.RearConfig.Host.current().kernelRelease();
        assertThat(out.toString()).contains(
                "mkbackup (simulation): nothing is touched; the steps that would run:",
                "configuration: no file read: the embedded default (BACKUP=NETFS to file:///var/lib/rear/backup, OUTPUT=ISO)",
                "the backup goes to /var/lib/rear/backup on this machine's own disk: that is no disaster recovery",
                "1 savelayout: discover this machine's layout, write " + tmp.resolve("layout/descriptor.json"),
                "2 rescue: build the rescue system: kernel /boot/vmlinuz-" + release + " (the running kernel, uname -r " + release + ") — MISSING",
                "install a kernel (Debian: apt-get install linux-image-amd64",
                "3 output: OUTPUT=ISO: /var/lib/rear/output/rear-" + host + ".iso; OUTPUT_URL: none (it stays in /var/lib/rear/output)",
                "4 backup: backup provider 'tar' (BACKUP=NETFS) to file:///var/lib/rear/backup",
                "less /tmp/* /dev/shm/* /var/lib/rear/output/*");
        assertThat(out.toString().lines().reduce((a, b) -> b).orElseThrow())
                .startsWith("mkbackup (simulation): 4 steps; it would stop at step 2: the rescue system's kernel /boot/vmlinuz-" + release).endsWith("nothing was touched");
        assertThat(code).isEqualTo(4);
        assertThat(err.toString()).contains("no BACKUP_URL is configured");
        assertThat(tmp.resolve("layout")).doesNotExist();
        assertThat(spec.get()).isNull();

        Files.createDirectories(bare.resolve("boot"));
        Files.write(bare.resolve("boot/vmlinuz-" + release), bzImage(release));
        StringWriter out2 = new StringWriter();
        int ok = Rear.run(new PrintWriter(out2), new PrintWriter(new StringWriter()), services, "-c", none.toString(), "mkbackup", "-s",
                "--layout-dir", tmp.resolve("layout").toString(), "--root", bare.toString());
        assertThat(ok).as(out2.toString()).isZero();
        assertThat(out2.toString().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("mkbackup (simulation): 4 steps would run; nothing was touched");
    }

    @Test
    void dumpWithNoConfigurationShowsTheEmbeddedDefault() throws Exception {
        Path none = Files.createDirectories(tmp.resolve("none"));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rear.run(new PrintWriter(out), new PrintWriter(err), services, "-c", none.toString(), "dump");
        assertThat(code).isZero();
        assertThat(out.toString()).contains("# Configuration files read: none (the embedded default applies)", "BACKUP=NETFS  # backup provider: tar",
                "OUTPUT=ISO", "BACKUP_URL=\"file:///var/lib/rear/backup\"  # default", "OUTPUT_URL=\"null\"  # default",
                "REAR_INITRD_COMPRESSION=\"\"  # default");
        assertThat(err.toString()).contains("no BACKUP_URL is configured", "no disaster recovery");
    }

    // ---------------------------------------------------------------- the rescue image stored by the provider

    private void storeImage() throws Exception {
        providerClass = ImageStoringProvider.class;
        Files.writeString(conf.resolve("local.conf"), "FAKE_STORE_IMAGE=yes\n", java.nio.file.StandardOpenOption.APPEND);
    }

    @Test
    void aProviderThatStoresTheRescueImageDoesSoAfterTheOutputAsAStepOfItsOwn() throws Exception {
        storeImage();
        Run r = rear(workflow("mkrescue"));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        Path iso = isoDir.resolve(request.get().isoPrefix() + ".iso");
        assertThat(Files.readAllLines(store.resolve("calls"))).containsExactly("store-image [" + iso + "] from " + isoDir);
        assertThat(store.resolve("images").resolve(iso.getFileName())).hasContent("iso");
        Map<String, Map<String, String>> steps = succeeded(tmp.resolve("mkrescue.jsonl"));
        assertThat(steps.keySet()).containsExactly("rescue", "output", "store");
        assertThat(steps.get("store")).containsEntry("provider", "tar")
                .containsEntry("stored.1", "fake server: " + store.resolve("images").resolve(iso.getFileName()))
                .containsEntry("provider.images", "1");
        assertThat(r.out()).contains("mkrescue: store the rescue image through backup provider 'tar' ...",
                "Stored by backup provider 'tar':\n  fake server: " + store.resolve("images").resolve(iso.getFileName()));
        assertThat(r.out().lines().reduce((a, b) -> b).orElseThrow()).startsWith("mkrescue: succeeded in ");
    }

    @Test
    void mkbackupStoresTheImageAfterTheBackupAndJsonSaysWhere() throws Exception {
        storeImage();
        Run r = rear(workflow("mkbackup", "--json"));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        JsonNode doc = new ObjectMapper().readTree(r.out());
        Path iso = isoDir.resolve(request.get().isoPrefix() + ".iso");
        assertThat(doc.get("rescueImageStored").get("provider").asText()).isEqualTo("tar");
        assertThat(doc.get("rescueImageStored").get("stored").get(0).asText()).isEqualTo("fake server: "
                + store.resolve("images").resolve(iso.getFileName()));
        assertThat(doc.get("rescueImageStored").get("facts").get("images").asText()).isEqualTo("1");
        assertThat(succeeded(tmp.resolve("mkbackup.jsonl")).keySet()).containsExactly("rescue", "output", "backup", "store");
    }

    @Test
    void aFailedStoreIsAProviderFailureAndTheImageStaysWhereTheOutputWroteIt() throws Exception {
        storeImage();
        Files.writeString(store.resolve("FAIL_STORE"), "");
        Run r = rear(workflow("mkrescue"));
        Path iso = isoDir.resolve(request.get().isoPrefix() + ".iso");
        assertThat(r.code()).as(r.out() + r.err()).isEqualTo(5);
        assertThat(r.err()).contains("backup provider 'tar' could not store the rescue image (unreachable): the fake server cannot be"
                + " reached; the rescue image stays in " + isoDir + " (" + iso + ")");
        assertThat(r.out().lines().reduce((a, b) -> b).orElseThrow()).isEqualTo("mkrescue: FAILED at step store (exit 5); journal "
                + tmp.resolve("mkrescue.jsonl"));
        assertThat(iso).hasContent("iso");
        assertThat(JournalReader.read(tmp.resolve("mkrescue.jsonl")).state().finished().verdict().name()).isEqualTo("FAILED");
        assertThat(succeeded(tmp.resolve("mkrescue.jsonl")).keySet()).containsExactly("rescue", "output");
    }

    @Test
    void theCapabilityAloneIsNotEnoughTheSettingsMustAskAndSimulationListsTheStep() throws Exception {
        providerClass = ImageStoringProvider.class;
        Run r = rear(workflow("mkrescue"));
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(succeeded(tmp.resolve("mkrescue.jsonl")).keySet()).containsExactly("rescue", "output");
        assertThat(store.resolve("calls")).doesNotExist();

        storeImage();
        Run s = rear("-s", "mkrescue", "--layout-dir", tmp.resolve("layout").toString(), "--root", host.toString());
        assertThat(s.out()).contains("  4 store: store the rescue image through backup provider 'tar' (its settings ask for it)",
                "mkrescue (simulation): 4 steps would run; nothing was touched");
    }
}
