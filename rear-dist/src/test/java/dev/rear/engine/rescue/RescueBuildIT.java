package dev.rear.engine.rescue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.github.luben.zstd.ZstdInputStream;
import dev.rear.api.spi.ProgressSink;
import dev.rear.api.spi.RescueRequirements;
import dev.rear.engine.exec.ProcessCommandRunner;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.cpio.CpioArchiveEntry;
import org.apache.commons.compress.archivers.cpio.CpioArchiveInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Builds the rescue system from this machine (its kernel in /boot, its programs, this JDK) with
 * secrets seeded where an administrator has them — a private key without passphrase in a COPY_AS_IS
 * directory, BACKUP_PROG_CRYPT_KEY and SSH_ROOT_PASSWORD in the configuration, a provider's secret
 * file — then unpacks the image and scans every byte: no secret is inside; the programs, their
 * libraries and the md/dm modules are. Needs root (to read /boot) and the JDK's jmods; it lives in rear-dist
 * because it builds from the assembled distribution, as {@code mkrescue} does.
 */
class RescueBuildIT {

    static final String CRYPT_KEY = "crypt-key-e1b7c0d2f9a84c55";
    static final String ROOT_PASSWORD = "root-pw-9f2a6b1de3c7";
    static final String PROVIDER_SECRET = "provider-secret-4c8d1e7a0b3f";

    record Host(String release, Path kernel, Path javaHome, Path dist) {}

    static Host host() {
        assumeTrue("root".equals(System.getProperty("user.name")), "needs root: the kernel in /boot is readable by root only");
        String release = null;
        try (Stream<Path> s = Files.list(Path.of("/lib/modules"))) {
            release = s.map(p -> p.getFileName().toString()).filter(r -> Files.isReadable(Path.of("/boot/vmlinuz-" + r))).sorted()
                    .reduce((a, b) -> b).orElse(null);
        } catch (IOException e) {
            // none
        }
        assumeTrue(release != null, "no kernel with /boot/vmlinuz-R and /lib/modules/R (package linux-image-amd64)");
        Path jh = Path.of(System.getProperty("java.home"));
        assumeTrue(Files.isRegularFile(jh.resolve("jmods/java.base.jmod")), "no jmods in " + jh + " (package openjdk-17-jdk-headless)");
        Path dist = Path.of("target", "rear").toAbsolutePath().normalize();
        assumeTrue(Files.isDirectory(dist.resolve("lib")), "the rear distribution is not built: " + dist + " (it is assembled in the package phase, before this test)");
        for (String p : List.of("busybox", "mdadm", "lvm", "cryptsetup", "depmod")) {
            assumeTrue(Stream.of("/usr/sbin/", "/usr/bin/", "/sbin/", "/bin/").anyMatch(d -> Files.isExecutable(Path.of(d + p))), p + " is not installed");
        }
        return new Host(release, Path.of("/boot/vmlinuz-" + release), jh, dist);
    }

    @Test
    void buildsFromThisMachineWithoutAnySecretInside(@TempDir Path tmp) throws IOException {
        Host h = host();
        // seeded secrets
        Path conf = Files.createDirectories(tmp.resolve("etc-rear"));
        Path local = Files.writeString(conf.resolve("local.conf"), "# test configuration\nBACKUP=NETFS\nBACKUP_URL=file:///var/lib/rear/backup\n"
                + "BACKUP_PROG_CRYPT_ENABLED=yes\nBACKUP_PROG_CRYPT_KEY=\"" + CRYPT_KEY + "\"\nSSH_ROOT_PASSWORD='" + ROOT_PASSWORD + "'\n"
                + "OUTPUT=ISO\n");
        Path asIs = Files.createDirectories(tmp.resolve("copy-as-is"));
        Files.copy(fixture("keys/ed25519-nopass"), asIs.resolve("id_ed25519"));
        Files.copy(fixture("keys/ed25519-pass"), asIs.resolve("id_ed25519_protected"));
        Files.writeString(asIs.resolve("notes.txt"), "kept\n");
        Files.writeString(asIs.resolve("cache.tmp"), "excluded\n");
        Path providerSecret = Files.writeString(tmp.resolve("provider.pw"), PROVIDER_SECRET + "\n");
        Files.setPosixFilePermissions(providerSecret, PosixFilePermissions.fromString("rw-------"));
        Path providerDir = Files.createDirectories(tmp.resolve("provider-dir"));
        Files.writeString(providerDir.resolve("client.conf"), "server=backup1\n");
        Files.copy(providerSecret, providerDir.resolve("session.pw"));
        RescueRequirements provider = RescueRequirements.builder().program("tar").directory(providerDir.toString())
                .secretFile(providerSecret.toString(), "asked at recovery").secretFile(providerDir.resolve("session.pw").toString(), "session")
                .kernelModule("nfs").kernelModule("cifs").variable("PROVIDER_MODE", "restore").secretVariable("PROVIDER_PASSWORD").build();
        Path firmware = Files.createDirectories(tmp.resolve("firmware/vendor"));
        Files.write(firmware.resolve("nic-fw.bin"), new byte[] {1, 2, 3});
        Files.write(firmware.resolve("other.txt"), new byte[] {4});
        Path out = tmp.resolve("out/initrd.cgz");
        Path cache = Path.of("target", "rescue-cache").toAbsolutePath();
        RescueSpec spec = new RescueSpec(Path.of("/"), h.kernel(), h.release(), List.of("dm_zero"), List.of(tmp + "/firmware/*/*.bin"), List.of("xfs_repair"),
                List.of("parted"), List.of(asIs.toString()), List.of("*.tmp"), provider, h.dist(), h.javaHome(), null, List.of(local),
                RescueSpec.Compression.ZSTD, tmp.resolve("work"), cache, out);

        RescueImage first = new InitramfsBuilder().build(spec, new ProcessCommandRunner(), ProgressSink.NONE);
        RescueImage image = new InitramfsBuilder().build(spec, new ProcessCommandRunner(), ProgressSink.NONE);
        System.out.printf("rescue image: initrd %.1f MiB (zstd), tree %.1f MiB, %d entries, %d modules, %d programs;"
                        + " build %.1f s (first run this JVM), %.1f s (again, cache warm)%n",
                image.initrdBytes() / 1048576.0, image.treeBytes() / 1048576.0, image.entries(), image.modules().size(),
                image.programs().size(), first.buildTime().toMillis() / 1000.0, image.buildTime().toMillis() / 1000.0);
        image.leftOut().forEach(l -> System.out.println("  left out: " + l.path() + " — " + l.reason()));

        Map<String, byte[]> files = new HashMap<>();
        Map<String, CpioArchiveEntry> entries = new HashMap<>();
        try (InputStream in = new ZstdInputStream(new BufferedInputStream(Files.newInputStream(out)));
             CpioArchiveInputStream cpio = new CpioArchiveInputStream(in)) {
            CpioArchiveEntry e;
            while ((e = cpio.getNextCPIOEntry()) != null) {
                entries.put(e.getName(), e);
                files.put(e.getName(), cpio.readAllBytes());
            }
        }
        assertThat(entries).hasSize(image.entries());
        // not a byte of any secret, in any file
        List<String> leaks = new ArrayList<>();
        for (Map.Entry<String, byte[]> f : files.entrySet()) {
            String text = new String(f.getValue(), StandardCharsets.ISO_8859_1);
            for (String s : List.of(CRYPT_KEY, ROOT_PASSWORD, PROVIDER_SECRET, keyBody("keys/ed25519-nopass"))) {
                if (text.contains(s)) {
                    leaks.add(f.getKey() + " holds " + s.substring(0, 12) + "...");
                }
            }
        }
        assertThat(leaks).isEmpty();
        String asIsGuest = asIs.toString().substring(1);
        assertThat(files).containsKey(asIsGuest + "/notes.txt").containsKey(asIsGuest + "/id_ed25519_protected")
                .doesNotContainKey(asIsGuest + "/id_ed25519").doesNotContainKey(asIsGuest + "/cache.tmp")
                .containsKey(providerDir.toString().substring(1) + "/client.conf")
                .doesNotContainKey(providerDir.toString().substring(1) + "/session.pw");
        assertThat(image.leftOut()).extracting(RescueImage.LeftOut::reason)
                .contains("private key without passphrase", "COPY_AS_IS_EXCLUDE", "secret value blanked in the rescue system's copy",
                        "provider secret: asked at recovery", "secret variable of the provider: the recovery asks for it");
        String carried = new String(files.get("etc/rear/local.conf"), StandardCharsets.UTF_8);
        assertThat(carried).contains("BACKUP_PROG_CRYPT_KEY=''", "SSH_ROOT_PASSWORD=''", "BACKUP_URL=file:///var/lib/rear/backup")
                .hasLineCount(Files.readString(local).split("\n").length);
        assertThat(new String(files.get("etc/rear-rescue/environment"), StandardCharsets.UTF_8)).contains("PROVIDER_MODE='restore'")
                .doesNotContain("PROVIDER_PASSWORD");

        // firmware by glob
        assertThat(files).containsKey(firmware.resolve("nic-fw.bin").toString().substring(1))
                .doesNotContainKey(firmware.resolve("other.txt").toString().substring(1));
        // programs, their libraries, the loader, busybox's applets, udev, rear and its runtime
        assertThat(files).containsKeys("init", "usr/sbin/mdadm", "usr/sbin/cryptsetup", "usr/sbin/lvm", "usr/sbin/sfdisk",
                "usr/lib/x86_64-linux-gnu/libcryptsetup.so.12", "usr/lib64/ld-linux-x86-64.so.2", "usr/lib/x86_64-linux-gnu/libgcc_s.so.1",
                "opt/rear/jre/bin/java", "opt/rear/bin/rear", "usr/sbin/xfs_repair", "usr/lib/systemd/systemd-udevd",
                "usr/lib/udev/rules.d/63-md-raid-arrays.rules", "usr/lib/x86_64-linux-gnu/gconv/IBM850.so");
        // the native library zstd-jni unpacks from its jar at run time finds its shared libraries (libpthread.so.0)
        assertThat(jarNativeLibraries(h.dist(), tmp)).as("what zstd-jni's native library needs").isNotEmpty()
                .allSatisfy(lib -> assertThat(files.keySet()).as("in the image").contains(lib.substring(1)));
        assertThat(entries.get("bin").isSymbolicLink()).isTrue();
        assertThat(new String(files.get("bin"), StandardCharsets.UTF_8)).isEqualTo("usr/bin");
        assertThat(new String(files.get("usr/sbin/pvcreate"), StandardCharsets.UTF_8)).isEqualTo("/usr/sbin/lvm");
        assertThat(new String(files.get("usr/bin/sh"), StandardCharsets.UTF_8)).endsWith("/busybox");
        assertThat(entries.values()).allMatch(e -> e.getUID() == 0 && e.getGID() == 0);
        assertThat(entries.get("init").getMode() & 0777).isEqualTo(0755);
        assertThat(image.programs()).contains("mdadm", "lvm", "cryptsetup", "mkfs.xfs", "mkfs.btrfs", "mkfs.vfat", "udevadm", "ip",
                "busybox", "sh", "udhcpc", "rear", "tar", "parted");
        // md and dm modules with a fresh depmod
        String mods = "usr/lib/modules/" + h.release() + "/";
        assertThat(image.modules()).contains("raid1", "raid456", "dm_mod", "dm_crypt", "dm_thin_pool", "ext4", "xfs", "btrfs", "vfat",
                "virtio_blk", "nfs", "cifs", "dm_zero");
        String dep = new String(files.get(mods + "modules.dep"), StandardCharsets.UTF_8);
        assertThat(dep).contains("kernel/drivers/md/raid1.ko", "kernel/drivers/md/dm-crypt.ko");
        assertThat(files).containsKeys(mods + "modules.dep.bin", mods + "modules.alias.bin", mods + "modules.order");
        assertThat(dep.lines().count()).isEqualTo(image.modules().size());
        assertThat(image.initrdBytes()).isEqualTo(Files.size(out));
        assertThat(Files.list(out.getParent()).toList()).containsExactly(out);
    }

    @Test
    void aMissingRequiredProgramFailsNamingItAndItsPackage(@TempDir Path tmp) throws IOException {
        Host h = host();
        Path out = tmp.resolve("initrd");
        RescueSpec spec = new RescueSpec(Path.of("/"), h.kernel(), h.release(), List.of(), List.of(), List.of("dsmc", "no-such-tool"),
                List.of(), List.of(), List.of(), RescueRequirements.none(), h.dist(), h.javaHome(), null, List.of(),
                RescueSpec.Compression.GZIP, tmp.resolve("work"), null, out);
        assertThatThrownBy(() -> new InitramfsBuilder().build(spec, new ProcessCommandRunner(), ProgressSink.NONE))
                .isInstanceOf(RescueBuildException.class)
                .hasMessageContaining("dsmc (package TIVsm-BA (IBM Storage Protect client))").hasMessageContaining("no-such-tool");
        assertThat(out).doesNotExist();
    }

    /**
     * The shared libraries (real paths, as ldd resolves them on this machine) that the amd64 native
     * library inside the distribution's zstd-jni jar needs.
     */
    static List<String> jarNativeLibraries(Path dist, Path tmp) throws IOException {
        Path jar;
        try (var s = Files.list(dist.resolve("lib"))) {
            jar = s.filter(p -> p.getFileName().toString().startsWith("zstd-jni-")).findFirst().orElseThrow();
        }
        Path so = tmp.resolve("zstd-jni-native.so");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(jar.toFile())) {
            java.util.zip.ZipEntry e = java.util.Collections.list(zip.entries()).stream()
                    .filter(x -> x.getName().startsWith("linux/amd64/") && x.getName().endsWith(".so")).findFirst().orElseThrow();
            try (InputStream in = zip.getInputStream(e)) {
                Files.copy(in, so);
            }
        }
        String ldd = new ProcessCommandRunner().run(dev.rear.api.command.CommandSpec.of("ldd", so.toString())).stdout();
        List<String> libs = new ArrayList<>();
        for (String line : ldd.lines().toList()) {
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("=> (/\\S+)").matcher(line);
            if (m.find()) {
                libs.add(Path.of(m.group(1)).toRealPath().toString());
            }
        }
        return libs;
    }

    static Path fixture(String name) {
        return Path.of("..", "rear-engine", "src", "test", "resources", "fixtures", "rescue", name);
    }

    /** A line from the middle of a key's base64 body: present in any copy of the key. */
    static String keyBody(String name) throws IOException {
        List<String> lines = Files.readAllLines(fixture(name));
        return lines.get(lines.size() / 2);
    }
}
