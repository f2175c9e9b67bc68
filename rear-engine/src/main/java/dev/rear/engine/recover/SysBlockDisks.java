package dev.rear.engine.recover;

import dev.rear.engine.plan.TargetDisk;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * The whole disks a recovery may map originals onto automatically, read from {@code /sys/block}:
 * each {@code /sys/block/NAME} with a {@code device} link (real hardware or a virtual disk), not
 * read-only, of non-zero size. Loop, RAM, optical, md, device-mapper and network block devices are
 * left out: a recovery maps onto them only when a mapping file names them.
 *
 * <p>Size from {@code size} (512-byte units), logical sector size from
 * {@code queue/logical_block_size}, serial from {@code device/serial}, WWN from {@code wwid} /
 * {@code device/wwid} when it is an NAA name ({@code naa.5000c500a1b2c3d4} → {@code 0x5000c500a1b2c3d4}).
 */
public final class SysBlockDisks {
    private SysBlockDisks() {}

    private static final Pattern LEFT_OUT = Pattern.compile("(loop|ram|zram|sr|md|dm-|nbd|fd)\\d*.*");

    /** The candidate disks under {@code sysBlock} ({@code /sys/block} on a live system), sorted by name. */
    public static List<TargetDisk> read(Path sysBlock) {
        List<TargetDisk> out = new ArrayList<>();
        try (Stream<Path> s = Files.list(sysBlock)) {
            for (Path d : s.sorted().toList()) {
                String name = d.getFileName().toString();
                if (LEFT_OUT.matcher(name).matches() || !Files.exists(d.resolve("device"))) {
                    continue;
                }
                long sectors = number(d.resolve("size"), 0);
                if (sectors <= 0 || number(d.resolve("ro"), 0) == 1) {
                    continue;
                }
                int logical = (int) number(d.resolve("queue/logical_block_size"), 512);
                String serial = text(d.resolve("device/serial"));
                String wwid = text(d.resolve("wwid"));
                if (wwid == null) {
                    wwid = text(d.resolve("device/wwid"));
                }
                String wwn = wwid != null && wwid.toLowerCase(Locale.ROOT).startsWith("naa.") ? "0x" + wwid.substring(4) : null;
                out.add(new TargetDisk("/dev/" + name, sectors * 512, logical <= 0 ? 512 : logical, serial, wwn,
                        text(d.resolve("device/model"))));
            }
        } catch (IOException e) {
            return out;
        }
        return out;
    }

    private static long number(Path f, long otherwise) {
        String t = text(f);
        if (t == null) {
            return otherwise;
        }
        try {
            return Long.parseLong(t);
        } catch (NumberFormatException e) {
            return otherwise;
        }
    }

    private static @Nullable String text(Path f) {
        try {
            String t = Files.readString(f).strip();
            return t.isEmpty() ? null : t;
        } catch (IOException e) {
            return null;
        }
    }
}
