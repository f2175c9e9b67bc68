package dev.rear.engine.rescue;

import dev.rear.api.spi.RescueRequirements;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a rescue system is built from. {@code mkrescue} fills it from the configuration
 * ({@code KERNEL_FILE}, {@code KERNEL_VERSION}, {@code MODULES}, {@code FIRMWARE_FILES},
 * {@code COPY_AS_IS}, {@code COPY_AS_IS_EXCLUDE}, {@code REQUIRED_PROGS}, {@code PROGS}), the selected
 * provider's {@link RescueRequirements} and the saved descriptor.
 *
 * @param hostRoot        the live system's root ({@code /}; a fake root in tests) — every live path
 *                        below is read under it
 * @param kernelFile      the kernel to boot ({@code KERNEL_FILE})
 * @param kernelRelease   its release ({@code KERNEL_VERSION}); its modules are under
 *                        {@code /lib/modules/<release>}
 * @param modules         kernel modules to add beyond the built-in storage/md/dm/filesystem/network
 *                        set ({@code MODULES}); the {@code modules.dep} closure is added
 * @param firmwareFiles   firmware files or globs to copy ({@code FIRMWARE_FILES}); empty: none
 * @param requiredPrograms programs whose absence fails the build ({@code REQUIRED_PROGS}, plus
 *                        the recovery's own list)
 * @param optionalPrograms programs copied when present ({@code PROGS})
 * @param copyAsIs        files and directories copied as they are ({@code COPY_AS_IS})
 * @param copyAsIsExclude globs left out of those ({@code COPY_AS_IS_EXCLUDE})
 * @param provider        what the backup provider needs in the rescue system
 * @param distribution    the rear distribution ({@code bin/rear}, {@code lib/*.jar}) to install as
 *                        {@code /opt/rear}
 * @param javaHome        the JDK whose {@code jlink} and {@code jmods} make the runtime
 * @param descriptor      the saved descriptor to carry, or {@code null}
 * @param configFiles     the configuration files to carry (secret values stripped)
 * @param compression     how the initramfs is compressed
 * @param workDir         a scratch directory for the build
 * @param cacheDir        where reusable parts (the linked Java runtime) are kept between builds, or
 *                        {@code null} for none
 * @param outputFile      where the initramfs is written
 */
public record RescueSpec(Path hostRoot, Path kernelFile, String kernelRelease, List<String> modules, List<String> firmwareFiles,
                         List<String> requiredPrograms, List<String> optionalPrograms, List<String> copyAsIs,
                         List<String> copyAsIsExclude, RescueRequirements provider, Path distribution, Path javaHome,
                         @Nullable Path descriptor, List<Path> configFiles, Compression compression, Path workDir,
                         @Nullable Path cacheDir, Path outputFile) {
    public RescueSpec {
        Objects.requireNonNull(hostRoot, "hostRoot");
        Objects.requireNonNull(kernelFile, "kernelFile");
        Objects.requireNonNull(kernelRelease, "kernelRelease");
        modules = List.copyOf(modules);
        firmwareFiles = List.copyOf(firmwareFiles);
        requiredPrograms = List.copyOf(requiredPrograms);
        optionalPrograms = List.copyOf(optionalPrograms);
        copyAsIs = List.copyOf(copyAsIs);
        copyAsIsExclude = List.copyOf(copyAsIsExclude);
        Objects.requireNonNull(provider, "provider");
        configFiles = List.copyOf(configFiles);
        Objects.requireNonNull(compression, "compression");
    }

    /** How the initramfs is compressed; the kernel must be able to unpack it (Debian's can all three). */
    public enum Compression { ZSTD, GZIP, NONE }
}
