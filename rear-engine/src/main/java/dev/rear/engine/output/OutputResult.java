package dev.rear.engine.output;

import java.util.List;

/**
 * What an output wrote.
 *
 * @param artifacts the files written (ISO, kernel, initrd, boot configurations), local paths
 * @param copiedTo  where they were copied ({@code OUTPUT_URL} locations), empty when not copied
 * @param summary   one line for the administrator, e.g. {@code ISO /var/lib/rear/output/rear-web1.iso (182 MiB), BIOS and UEFI}
 */
public record OutputResult(List<java.nio.file.Path> artifacts, List<String> copiedTo, String summary) {
    public OutputResult {
        artifacts = List.copyOf(artifacts);
        copiedTo = List.copyOf(copiedTo);
    }
}
