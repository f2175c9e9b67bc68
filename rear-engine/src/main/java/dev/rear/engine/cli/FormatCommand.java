package dev.rear.engine.cli;

import dev.rear.api.command.CommandRunner;
import dev.rear.engine.exec.ProcessCommandRunner;
import dev.rear.engine.output.OutputException;
import dev.rear.engine.output.UsbDisk;
import dev.rear.engine.output.UsbFormat;
import dev.rear.engine.provider.Prompt;
import dev.rear.engine.recover.HostProbe;
import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code rear format DEVICE}: prepares a disk for {@code OUTPUT=USB} (ReaR's {@code format} workflow). */
@Command(name = "format",
        description = {"Prepare a USB disk for OUTPUT=USB: an msdos partition table with one bootable ext4 partition",
            "labelled REAR-000 (and with --efi first an EFI system partition labelled REAR-EFI). DESTROYS everything on",
            "DEVICE. Refuses the system disk, a disk with anything mounted and a disk with active swap. Asks 'type YES'",
            "unless --yes."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:the disk was formatted", "  2:usage error",
            "  4:the disk was refused (system disk, in use, not a block device), or the run was not confirmed",
            "  7:a tool failed while formatting (the message names it)"})
final class FormatCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "DEVICE", description = "The whole disk, e.g. /dev/sdb or /dev/disk/by-id/usb-...")
    String device;

    @Option(names = "--yes", description = "Do not ask for confirmation.")
    boolean yes;

    @Option(names = "--efi", description = "Also make an EFI system partition, for UEFI machines.")
    boolean efi;

    @Option(names = "--efi-size", paramLabel = "MiB", description = "Size of the EFI system partition (default: ${DEFAULT-VALUE}, ReaR's USB_UEFI_PART_SIZE).")
    int efiMiB = UsbFormat.DEFAULT_EFI_MIB;

    /** The host and the runner; tests replace them. */
    HostProbe host = HostProbe.linux();
    CommandRunner runner = new ProcessCommandRunner();
    Prompt prompt = Prompt.console(false);
    List<String> swaps = UsbDisk.activeSwaps();

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        UsbDisk disk = new UsbDisk(device, host, runner);
        List<String> problems = disk.problems(false, swaps);
        if (!problems.isEmpty()) {
            throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, "refusing to format " + disk.device() + ": " + String.join("; ", problems));
        }
        UsbFormat format = new UsbFormat(disk, runner);
        String what = format.describe(efi, efiMiB);
        out.println(what);
        out.flush();
        if (!yes && !prompt.typedYes("This DESTROYS everything on " + disk.device() + ".")) {
            throw new Rear.ExitException(ExitCode.PRECONDITION_FAILED, "not confirmed: " + disk.device()
                    + " was not touched (type YES when asked, or give --yes)");
        }
        List<String> made;
        try {
            made = format.format(efi, efiMiB);
        } catch (OutputException e) {
            throw new Rear.ExitException(ExitCode.IO_ERROR, e.getMessage());
        }
        out.println("format: " + disk.device() + " is ready for OUTPUT=USB: " + made.get(0) + " (ext4, " + UsbDisk.DATA_LABEL + ")"
                + (made.size() > 1 ? ", " + made.get(1) + " (FAT, " + UsbDisk.EFI_LABEL + ")" : "")
                + "; set USB_DEVICE=" + disk.device() + " and OUTPUT=USB, then run 'rear mkrescue'");
        out.flush();
        return ExitCode.OK.code();
    }
}
