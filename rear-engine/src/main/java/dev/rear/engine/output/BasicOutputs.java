package dev.rear.engine.output;

import dev.rear.api.command.CommandRunner;
import dev.rear.engine.rescue.RescueImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.regex.Pattern;

/** What every output checks and writes alike: the image's files, names, the README, the copy to OUTPUT_URL. */
final class BasicOutputs {
    private BasicOutputs() {}

    private static final Pattern HOSTNAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,252}");

    /** Fails unless the kernel and the initrd are readable files and the host name can name files. */
    static void check(RescueImage image, OutputRequest request) {
        for (Path p : List.of(image.kernel(), image.initrd())) {
            if (!Files.isRegularFile(p) || !Files.isReadable(p)) {
                throw new OutputException("the rescue image's " + (p.equals(image.kernel()) ? "kernel " : "initrd ") + p
                        + " is not a readable file: build the rescue system again (rear mkrescue)");
            }
        }
        if (request.hostname() == null || !HOSTNAME.matcher(request.hostname()).matches()) {
            throw new OutputException("the host name '" + request.hostname() + "' cannot name the rescue system's files"
                    + " (letters, digits, '.', '_' and '-' only)");
        }
        if (request.outputUrl() != null && !request.outputUrl().isBlank()) {
            OutputUrl.parse(request.outputUrl(), null); // a URL that cannot be used fails before anything is written
        }
    }

    static Path outputDir(OutputRequest request) {
        try {
            return Files.createDirectories(request.outputDir());
        } catch (IOException e) {
            throw new OutputException("cannot create the output directory " + request.outputDir() + ": " + Artifacts.reason(e), e);
        }
    }

    /** The first comment line of a generated file. */
    static String stamp(OutputRequest request) {
        return "written by rear for " + request.hostname() + " at " + Instant.now().truncatedTo(java.time.temporal.ChronoUnit.SECONDS)
                + " (OUTPUT=" + request.method() + ")";
    }

    /** Copies {@code files} to OUTPUT_URL when one is set; the destinations. */
    static List<String> copyToUrl(List<Path> files, OutputRequest request, CommandRunner runner) {
        if (request.outputUrl() == null || request.outputUrl().isBlank()) {
            return List.of();
        }
        try {
            return OutputUrl.parse(request.outputUrl(), null).copy(files, request.hostname(), runner,
                    Path.of(System.getProperty("java.io.tmpdir")));
        } catch (OutputException e) {
            throw new OutputException(e.getMessage() + " (the artifacts themselves were written: "
                    + String.join(", ", files.stream().map(Path::toString).toList()) + ")", e);
        }
    }

    static long size(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return -1;
        }
    }

    static String millis(long t0) {
        return (System.nanoTime() - t0) / 1_000_000 + " ms";
    }
}
