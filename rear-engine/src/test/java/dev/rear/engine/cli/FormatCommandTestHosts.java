package dev.rear.engine.cli;

import dev.rear.engine.recover.HostProbe;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/** A fake host for the format and USB output tests. */
public final class FormatCommandTestHosts {
    private FormatCommandTestHosts() {}

    /** A host with /dev/sda (system disk, sda2 on /), /dev/sdb (a USB stick) and /dev/sdc, and the given mounts. */
    public static HostProbe host(List<HostProbe.Mount> mounts) {
        Set<String> blocks = Set.of("/dev/sda", "/dev/sda1", "/dev/sda2", "/dev/sdb", "/dev/sdb1", "/dev/sdb2", "/dev/sdc", "/dev/sdc1");
        Map<String, String> mm = Map.of("/dev/sda", "8:0", "/dev/sdb", "8:16", "/dev/sdc", "8:32");
        return new HostProbe() {
            @Override
            public boolean isBlockDevice(String path) {
                return blocks.contains(path);
            }

            @Override
            public OptionalLong sizeBytes(String path) {
                return OptionalLong.of(8L << 30);
            }

            @Override
            public Optional<String> majorMinor(String path) {
                return Optional.ofNullable(mm.get(path));
            }

            @Override
            public List<Mount> mounts() {
                return mounts;
            }

            @Override
            public Set<String> underlyingDisks(String device) {
                return device.matches("/dev/sd[a-z][0-9]*") ? Set.of(device.replaceAll("[0-9]+$", "")) : Set.of();
            }
        };
    }

    public static final List<HostProbe.Mount> SYSTEM = List.of(new HostProbe.Mount("/", "/dev/sda2", "8:2"),
            new HostProbe.Mount("/proc", "proc", "0:22"), new HostProbe.Mount("/boot/efi", "/dev/sda1", "8:1"));

}
