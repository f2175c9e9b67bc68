package dev.rear.e2e;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.opentest4j.TestAbortedException;

/**
 * Boots rescue media in qemu (TCG) through real firmware: an ISO as a CD-ROM, or a disk image as an
 * IDE disk, with SeaBIOS or OVMF. Reusable by any test that boots a rescue output: the caller awaits
 * its own console markers on the returned {@link QemuVm} and closes it (which kills the VM and
 * removes its work directory).
 */
final class IsoBoot {
    private IsoBoot() {}

    /** The firmware the VM starts with. */
    enum Firmware {
        /** SeaBIOS, qemu's default PC BIOS. */
        BIOS,
        /** OVMF (EDK II), UEFI without Secure Boot. */
        UEFI
    }

    /** OVMF's single-file firmware image (package ovmf). */
    static final Path OVMF = Path.of("/usr/share/ovmf/OVMF.fd");

    /** Memory for the VM: OVMF and a kernel unpacking an initramfs want some room. */
    static final int MEMORY_MIB = 1024;

    /** Skips the calling test, naming what is missing: qemu and, for UEFI, OVMF. */
    static Path qemu(Firmware fw) {
        List<String> missing = new ArrayList<>();
        Path qemu = VmHost.which("qemu-system-x86_64").orElse(null);
        if (qemu == null) {
            missing.add("qemu-system-x86_64 (package qemu-system-x86)");
        }
        if (fw == Firmware.UEFI && !Files.isReadable(OVMF)) {
            missing.add(OVMF + " (package ovmf)");
        }
        if (!missing.isEmpty()) {
            throw new TestAbortedException("cannot boot with " + fw + " here; missing: " + String.join("; ", missing));
        }
        return qemu;
    }

    /** Boots {@code iso} as the VM's CD-ROM with {@code fw}. */
    static QemuVm boot(Path iso, Firmware fw, Path workParent) {
        return QemuVm.bootMedia(qemu(fw), workParent, firmwareArgs(fw),
                List.of("-drive", "file=" + iso + ",media=cdrom,readonly=on,if=ide,index=0", "-boot", "d"), MEMORY_MIB);
    }

    /**
     * Boots {@code iso} as the VM's CD-ROM with {@code fw}, {@code memoryMiB} of memory (a full rescue system
     * unpacks some 200 MiB) and a writable serial console ({@link QemuVm#type}).
     */
    static QemuVm bootInteractive(Path iso, Firmware fw, Path workParent, int memoryMiB) {
        return QemuVm.bootMedia(qemu(fw), workParent, firmwareArgs(fw),
                List.of("-drive", "file=" + iso + ",media=cdrom,readonly=on,if=ide,index=0", "-boot", "d"), memoryMiB, true);
    }

    /** Boots the raw disk image {@code disk} (a USB output) as the VM's first disk with {@code fw}; qemu never writes to it. */
    static QemuVm bootDisk(Path disk, Firmware fw, Path workParent) {
        return QemuVm.bootMedia(qemu(fw), workParent, firmwareArgs(fw),
                List.of("-drive", "file=" + disk + ",format=raw,if=ide,index=0,snapshot=on", "-boot", "c"), MEMORY_MIB);
    }

    private static List<String> firmwareArgs(Firmware fw) {
        return fw == Firmware.UEFI ? List.of("-bios", OVMF.toString()) : List.of();
    }
}
