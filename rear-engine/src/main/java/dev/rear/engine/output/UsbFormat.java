package dev.rear.engine.output;

import dev.rear.api.command.CommandRunner;
import dev.rear.api.command.CommandFailedException;
import dev.rear.api.command.CommandSpec;
import dev.rear.api.command.CommandTimeoutException;
import dev.rear.api.command.ToolNotFoundException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@code format} workflow: prepares a disk for {@code OUTPUT=USB} as ReaR's {@code rear format}
 * does — an msdos partition table with one bootable ext4 partition labelled {@code REAR-000}, and
 * with {@code efi} first an EFI system partition (FAT, label {@code REAR-EFI}, {@code mkfs.fat}
 * writes it on the partition device: no vfat driver is needed). Everything runs through the given
 * runner.
 */
public final class UsbFormat {

    /** ReaR's {@code USB_UEFI_PART_SIZE} default, in MiB. */
    public static final int DEFAULT_EFI_MIB = 1024;

    private final UsbDisk disk;
    private final CommandRunner runner;

    public UsbFormat(UsbDisk disk, CommandRunner runner) {
        this.disk = disk;
        this.runner = runner;
    }

    /** What {@link #format} does, in words, for the confirmation question. */
    public String describe(boolean efi, int efiMiB) {
        return "rear format writes a new msdos partition table to " + disk.device() + (efi
                ? " with an EFI system partition of " + efiMiB + " MiB (FAT, " + UsbDisk.EFI_LABEL + ") and"
                : " with") + " one bootable ext4 partition labelled " + UsbDisk.DATA_LABEL + " on the rest."
                + " Everything on " + disk.device() + " is lost.";
    }

    /** The {@code sfdisk} script: partitions aligned to 1 MiB (room for GRUB's core image before the first). */
    public static String sfdiskScript(boolean efi, int efiMiB) {
        StringBuilder b = new StringBuilder("label: dos\n");
        if (efi) {
            b.append("start=2048, size=").append(efiMiB).append("MiB, type=ef\n");
            b.append("type=83, bootable\n");
        } else {
            b.append("start=2048, type=83, bootable\n");
        }
        return b.toString();
    }

    /**
     * {@code udevadm ARGS}, where udev runs: a host without udevadm has no udev to wait for, and a
     * settle that times out (exit 1) is not a reason to fail a format that worked.
     */
    private void udev(String... args) {
        List<String> argv = new ArrayList<>(List.of("udevadm"));
        argv.addAll(List.of(args));
        try {
            runner.run(CommandSpec.of(argv.toArray(String[]::new)).withTimeout(Duration.ofSeconds(90)).alsoOk(1));
        } catch (ToolNotFoundException e) {
            // no udev: device nodes and links are not udev's to make
        } catch (CommandFailedException | CommandTimeoutException e) {
            // the format itself stands; a by-label link that is late is named where it is used
        }
    }

    /**
     * Formats the disk. The caller has checked {@link UsbDisk#problems} and asked for confirmation.
     *
     * @return the partitions made: the REAR-000 partition, then the ESP when {@code efi}
     */
    public List<String> format(boolean efi, int efiMiB) {
        if (efi && (efiMiB < 32 || efiMiB > 65536)) {
            throw new OutputException("an EFI system partition of " + efiMiB + " MiB: give 32 to 65536 MiB");
        }
        String dev = disk.device();
        String what = "the USB disk " + dev;
        Tools.run(runner, what, CommandSpec.of("sfdisk", "--quiet", "--wipe", "always", "--wipe-partitions", "always", dev)
                .withTimeout(Duration.ofMinutes(2)).withStdin(sfdiskScript(efi, efiMiB).getBytes(StandardCharsets.UTF_8)));
        disk.showPartitions(what);
        int dataNo = efi ? 2 : 1;
        // udev re-reads the table itself once sfdisk closes the disk (its watch), which takes the partitions
        // away and back; mkfs must not race that, nor udev's probe of a partition mkfs is still writing
        udev("settle", "--timeout=60");
        for (int n = 1; n <= dataNo; n++) {
            if (!disk.awaitPartition(n, Duration.ofSeconds(10))) {
                throw new OutputException("cannot write " + what + ": the partition device " + UsbDisk.partition(dev, n)
                        + " did not appear within 10 s after the partition table was written (partx -a " + dev + ")");
            }
        }
        String data = UsbDisk.partition(dev, dataNo);
        List<String> made = new ArrayList<>();
        Tools.run(runner, what, CommandSpec.of("mkfs.ext4", "-q", "-F", "-L", UsbDisk.DATA_LABEL, data).withTimeout(Duration.ofMinutes(10)));
        made.add(data);
        if (efi) {
            String esp = UsbDisk.partition(dev, 1);
            Tools.run(runner, what, CommandSpec.of("mkfs.fat", "-n", UsbDisk.EFI_LABEL, esp).withTimeout(Duration.ofMinutes(5)));
            made.add(esp);
        }
        // /dev/disk/by-label/REAR-000 (what BACKUP_URL=usb:// and OUTPUT_URL name) exists once udev has probed
        // the new filesystems: ask it to now, rather than hope its watch saw mkfs close the partition
        for (String p : made) {
            udev("trigger", "--action=change", p);
        }
        udev("settle", "--timeout=60", "--exit-if-exists=/dev/disk/by-label/" + UsbDisk.DATA_LABEL);
        return made;
    }
}
