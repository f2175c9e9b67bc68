package dev.rear.engine.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A host root in a temporary directory, for discovery with {@code DiscoveryOptions.root()}: the
 * files discovery reads under {@code /proc}, {@code /etc}, {@code /sys} and {@code /dev}, and
 * regular files standing in for disks, whose first 512 bytes are all a boot-sector check reads.
 * Nothing here touches a real device.
 */
public final class FakeHostRoot {

    /** The text GRUB's {@code boot.img} carries in its code area (as in sector 0 of a BIOS-GRUB disk). */
    private static final String GRUB_BOOT_TEXT = "GRUB \0Geom\0Hard Disk\0Read\0 Error\r\n\0";

    private final Path root;

    public FakeHostRoot(Path root) {
        this.root = root;
    }

    /**
     * A Debian 12 host: hostname, kernel release and command line, machine id, os-release and
     * resolv.conf (the captured {@code os-release/host.txt} and {@code resolv-conf/host.txt}), and
     * a {@code /proc/swaps} with its header only.
     */
    public static FakeHostRoot debian(Path root, String hostname) {
        return new FakeHostRoot(root)
                .file("/proc/sys/kernel/hostname", hostname + "\n")
                .file("/proc/sys/kernel/osrelease", "6.1.0-56-amd64\n")
                .file("/proc/cmdline", "BOOT_IMAGE=/boot/vmlinuz-6.1.0-56-amd64 root=/dev/vda ro quiet\n")
                .file("/etc/machine-id", "0f3c2b1a9e8d7c6b5a4f3e2d1c0b9a88\n")
                .file("/etc/os-release", FixtureCommandRunner.fixture("os-release/host.txt"))
                .file("/etc/resolv.conf", FixtureCommandRunner.fixture("resolv-conf/host.txt"))
                .file("/proc/swaps", "Filename\t\t\t\tType\t\tSize\t\tUsed\t\tPriority\n");
    }

    public Path root() {
        return root;
    }

    /** Writes {@code content} to the host path {@code absolute}, creating its directories. */
    public FakeHostRoot file(String absolute, String content) {
        return bytes(absolute, content.getBytes(StandardCharsets.UTF_8));
    }

    /** {@code /sys/firmware/efi} exists: the machine booted with UEFI. */
    public FakeHostRoot uefi() {
        try {
            Files.createDirectories(resolve("/sys/firmware/efi/efivars"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** {@code /dev/<name>} as a regular file of one sector: an MBR signature, no boot code. */
    public FakeHostRoot disk(String devPath) {
        byte[] sector = new byte[512];
        sector[510] = 0x55;
        sector[511] = (byte) 0xaa;
        return bytes(devPath, sector);
    }

    /** {@code /dev/<name>} whose first sector holds GRUB's boot code: where grub-install (BIOS) wrote. */
    public FakeHostRoot grubDisk(String devPath) {
        byte[] sector = new byte[512];
        sector[0] = (byte) 0xeb; // jmp short, as boot.img starts
        sector[1] = 0x63;
        sector[2] = (byte) 0x90;
        byte[] text = GRUB_BOOT_TEXT.getBytes(StandardCharsets.ISO_8859_1);
        System.arraycopy(text, 0, sector, 0x17d, text.length);
        sector[510] = 0x55;
        sector[511] = (byte) 0xaa;
        return bytes(devPath, sector);
    }

    /** A {@code /dev/disk/by-id/<name>} link to {@code /dev/<kernelName>}, relative as udev makes it. */
    public FakeHostRoot byId(String name, String kernelName) {
        try {
            Path link = resolve("/dev/disk/by-id/" + name);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of("../../" + kernelName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    /** A symbolic link {@code absolute} → {@code target} (a path relative to the link, as udev makes them). */
    public FakeHostRoot symlink(String absolute, String target) {
        try {
            Path link = resolve(absolute);
            Files.createDirectories(link.getParent());
            Files.createSymbolicLink(link, Path.of(target));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private FakeHostRoot bytes(String absolute, byte[] content) {
        try {
            Path p = resolve(absolute);
            Files.createDirectories(p.getParent());
            Files.write(p, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private Path resolve(String absolute) {
        if (!absolute.startsWith("/")) {
            throw new IllegalArgumentException("not an absolute path: " + absolute);
        }
        return root.resolve(absolute.substring(1));
    }
}
