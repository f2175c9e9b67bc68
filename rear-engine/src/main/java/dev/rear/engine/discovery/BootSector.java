package dev.rear.engine.discovery;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What the first sector of a disk says about the boot loader: whether it carries the MBR boot
 * signature and GRUB's boot code ({@code boot.img}, which holds the text {@code GRUB} and its
 * error messages). Reading it needs raw access to the device, which some systems refuse.
 */
public final class BootSector {
    private BootSector() {}

    /** What was found in sector 0. */
    public enum Code { GRUB, OTHER, NONE }

    /**
     * Reads the first 512 bytes of {@code device} and classifies them.
     *
     * @throws IOException when the device cannot be read (raw reads refused, no medium)
     */
    public static Code read(Path device) throws IOException {
        byte[] sector = new byte[512];
        int n = 0;
        try (InputStream in = Files.newInputStream(device)) {
            while (n < sector.length) {
                int r = in.read(sector, n, sector.length - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
        }
        if (n < 512) {
            throw new IOException(device + " is shorter than one sector (" + n + " bytes)");
        }
        return classify(sector);
    }

    /** Classifies a first sector. */
    public static Code classify(byte[] sector) {
        boolean signature = (sector[510] & 0xff) == 0x55 && (sector[511] & 0xff) == 0xaa;
        if (!signature) {
            return Code.NONE;
        }
        // Boot code lives in bytes 0..439; an all-zero area is a protective/plain MBR without code.
        String code = new String(sector, 0, 440, StandardCharsets.ISO_8859_1);
        if (code.contains("GRUB")) {
            return Code.GRUB;
        }
        for (int i = 0; i < 440; i++) {
            if (sector[i] != 0) {
                return Code.OTHER;
            }
        }
        return Code.NONE;
    }
}
