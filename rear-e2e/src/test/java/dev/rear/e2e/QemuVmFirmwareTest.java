package dev.rear.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The UEFI machine's NVRAM handling of {@link QemuVm.Uefi}: a new machine starts from OVMF's empty
 * variable store, a snapshot is a separate file the original never sees writes of, and qemu gets
 * the code read-only and the machine's own NVRAM writable. Uses the real OVMF files (package ovmf);
 * skipped without them.
 */
class QemuVmFirmwareTest {

    @TempDir
    Path tmp;

    @Test
    void aNewMachineStartsFromTheEmptyVariableStoreAndQemuGetsTheCodeReadOnly() throws Exception {
        QemuVm.Uefi.requireFirmware();
        QemuVm.Uefi uefi = QemuVm.Uefi.fresh(tmp.resolve("m1/nvram.fd"));

        assertThat(Files.mismatch(uefi.nvram(), QemuVm.Uefi.VARS_TEMPLATE)).isEqualTo(-1L);
        assertThat(uefi.args()).containsExactly(
                "-drive", "if=pflash,format=raw,unit=0,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd",
                "-drive", "if=pflash,format=raw,unit=1,file=" + tmp.resolve("m1/nvram.fd"));
    }

    @Test
    void aSnapshotIsACopyWhoseWritesTheMachinesOwnNvramNeverSees() throws Exception {
        QemuVm.Uefi.requireFirmware();
        QemuVm.Uefi machine = QemuVm.Uefi.fresh(tmp.resolve("nvram.fd"));
        byte[] entry = "Boot0004 debian".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(machine.nvram().toFile(), "rw")) {
            f.seek(0x1000);
            f.write(entry); // as a run writing its boot entry
        }

        QemuVm.Uefi copy = machine.snapshot(tmp.resolve("run/nvram-copy.fd"));
        assertThat(Files.mismatch(copy.nvram(), machine.nvram())).as("the snapshot has the machine's entries").isEqualTo(-1L);
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(copy.nvram().toFile(), "rw")) {
            f.seek(0x1000);
            f.write(new byte[entry.length]); // the run on the copy erases it
        }
        byte[] kept = new byte[entry.length];
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(machine.nvram().toFile(), "r")) {
            f.seek(0x1000);
            f.readFully(kept);
        }
        assertThat(kept).as("the machine's own NVRAM after a run on its snapshot").isEqualTo(entry);
    }

    @Test
    void aMissingNvramIsNamedBeforeQemuStarts() {
        Path none = tmp.resolve("no-such-nvram.fd");
        assertThatThrownBy(() -> QemuVm.Firmware.uefi(none).args()).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(none.toString()).hasMessageContaining("Uefi.fresh");
        assertThat(QemuVm.Firmware.BIOS).isInstanceOf(QemuVm.Bios.class);
        assertThat(List.of(SourceScenario.values())).extracting(s -> s.firmware)
                .containsExactly(IsoBoot.Firmware.BIOS, IsoBoot.Firmware.BIOS, IsoBoot.Firmware.UEFI);
    }
}
