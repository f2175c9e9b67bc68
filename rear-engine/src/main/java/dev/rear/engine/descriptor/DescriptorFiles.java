package dev.rear.engine.descriptor;

import com.fasterxml.jackson.databind.JsonNode;
import dev.rear.api.descriptor.SystemDescriptor;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Descriptor files: the whole check a file goes through, and safe writing.
 *
 * <p>A file is checked in order: its size, JSON syntax, the {@code schema} version, the JSON Schema
 * (every structural violation), binding to the records, then the field constraints and semantic
 * rules (every violation). A step that fails stops the ones after it, because they need its result.
 */
public final class DescriptorFiles {
    private static final Logger LOG = LoggerFactory.getLogger(DescriptorFiles.class);

    private DescriptorFiles() {}

    /**
     * The outcome of checking one file.
     *
     * @param source     the file, as named by the caller
     * @param descriptor the descriptor, when it could be bound (it may still break rules)
     * @param sha256     its identity, when bound
     * @param violations every violation found
     * @param error      when the file is not a descriptor at all (not JSON, truncated, other schema
     *                   version, too large), the one sentence saying so
     */
    public record Checked(String source, @Nullable SystemDescriptor descriptor, @Nullable String sha256,
                          List<Violation> violations, @Nullable String error) {
        public Checked {
            violations = List.copyOf(violations);
        }

        /** Readable and breaking no rule. */
        public boolean valid() {
            return error == null && violations.isEmpty() && descriptor != null;
        }
    }

    /**
     * Checks a file without throwing for anything wrong with its content.
     *
     * @throws UncheckedIOException when the file cannot be read (missing, a directory, no permission)
     */
    public static Checked check(Path file) {
        String source = file.toString();
        byte[] bytes;
        try {
            bytes = readBounded(file);
        } catch (DescriptorInvalidException e) {
            return new Checked(source, null, null, e.violations(), e.getMessage());
        }
        return check(bytes, source);
    }

    /** Checks bytes that claim to be a descriptor; see {@link #check(Path)}. */
    public static Checked check(byte[] bytes, String source) {
        JsonNode tree;
        try {
            tree = DescriptorJson.parseTree(bytes, source);
            DescriptorJson.checkSchemaVersion(tree, source);
        } catch (DescriptorInvalidException e) {
            return new Checked(source, null, null, e.violations(), e.getMessage());
        }
        List<Violation> structural = DescriptorSchema.validate(tree);
        if (!structural.isEmpty()) {
            LOG.info("{}: {} bytes of JSON, schema version ok, {} structural violation(s); rules not checked", source,
                    bytes.length, structural.size());
            return new Checked(source, null, null, structural, null);
        }
        SystemDescriptor descriptor;
        try {
            descriptor = DescriptorJson.bind(tree, source);
        } catch (DescriptorInvalidException e) {
            return new Checked(source, null, null, e.violations(), e.violations().isEmpty() ? e.getMessage() : null);
        }
        List<Violation> violations = DescriptorValidator.validate(descriptor);
        String sha256 = DescriptorJson.sha256(descriptor);
        LOG.info("{}: {} bytes of JSON, schema ok, {} disks, {} filesystems, {} rule violation(s), sha256 {}", source,
                bytes.length, descriptor.disks().size(), descriptor.filesystems().size(), violations.size(), sha256);
        return new Checked(source, descriptor, sha256, violations, null);
    }

    /**
     * Loads a descriptor that must be valid.
     *
     * @throws DescriptorInvalidException carrying every violation when it is not
     * @throws UncheckedIOException       when the file cannot be read
     */
    public static SystemDescriptor load(Path file) {
        // Fast path: strict binding plus every rule. The records and the JSON Schema say the same
        // (SchemaAgreementTest), so the schema only adds value when something is wrong: then the
        // full check runs for its complete report.
        byte[] bytes = readBounded(file);
        try {
            SystemDescriptor d = DescriptorJson.read(bytes, file.toString());
            if (DescriptorValidator.validate(d).isEmpty()) {
                return d;
            }
        } catch (DescriptorInvalidException e) {
            // fall through to the full check
        }
        throw invalid(check(bytes, file.toString()));
    }

    /** The exception describing a failed check: its error, or the number of violations and the first few. */
    public static DescriptorInvalidException invalid(Checked c) {
        if (c.error() != null) {
            return new DescriptorInvalidException(c.error(), c.violations());
        }
        List<Violation> v = c.violations();
        StringBuilder msg = new StringBuilder(c.source()).append(" is not a valid descriptor: ")
                .append(v.size()).append(v.size() == 1 ? " violation" : " violations");
        v.stream().limit(3).forEach(x -> msg.append("; ").append(x.path()).append(' ').append(x.message()));
        if (v.size() > 3) {
            msg.append("; …");
        }
        return new DescriptorInvalidException(msg.toString(), v);
    }

    /**
     * Writes a descriptor in its file form, atomically: a temporary file beside the target, forced
     * to disk, then renamed over it, so a crash leaves the old file or the new one, never half.
     */
    public static void write(Path file, SystemDescriptor descriptor) {
        byte[] bytes = DescriptorJson.prettyBytes(descriptor);
        Path dir = file.toAbsolutePath().getParent();
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + file.getFileName(), ".tmp");
            try {
                try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                    var buf = java.nio.ByteBuffer.wrap(bytes);
                    while (buf.hasRemaining()) {
                        ch.write(buf);
                    }
                    ch.force(true);
                }
                try {
                    Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
                }
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file + ": " + e.getMessage(), e);
        }
    }

    private static byte[] readBounded(Path file) {
        try {
            if (Files.isDirectory(file)) {
                throw new IOException(file + " is a directory, not a descriptor file");
            }
            long size = Files.size(file);
            if (size > DescriptorJson.MAX_BYTES) {
                // Refused before reading, so a huge file costs nothing.
                throw DescriptorJson.tooLarge(file.toString(), size);
            }
            return Files.readAllBytes(file);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new UncheckedIOException(file + " does not exist", e);
        } catch (java.nio.file.AccessDeniedException e) {
            throw new UncheckedIOException("permission denied reading " + file, e);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage() == null ? "cannot read " + file : e.getMessage(), e);
        }
    }

}
