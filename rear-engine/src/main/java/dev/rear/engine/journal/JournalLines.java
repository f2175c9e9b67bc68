package dev.rear.engine.journal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.rear.api.event.JournalEntry;
import dev.rear.engine.descriptor.DescriptorJson;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** The line form of a journal entry: canonical JSON (sorted keys, compact), and the hash that links lines. */
final class JournalLines {
    private JournalLines() {}

    /** The entry as its line, without the newline. */
    static byte[] toLine(JournalEntry entry) {
        JsonNode tree = DescriptorJson.mapper().valueToTree(entry);
        return DescriptorJson.canonicalBytes(tree);
    }

    /** Reads one line; throws with a reason (no line number: the caller knows it). */
    static JournalEntry fromLine(byte[] line) {
        try {
            JsonNode tree = DescriptorJson.mapper().readTree(line);
            return DescriptorJson.mapper().treeToValue(tree, JournalEntry.class);
        } catch (JsonProcessingException e) {
            String msg = e.getOriginalMessage();
            int nl = msg == null ? -1 : msg.indexOf('\n');
            throw new IllegalArgumentException("not a journal entry: " + (nl < 0 ? msg : msg.substring(0, nl)), e);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException("not a journal entry: " + e.getMessage(), e);
        }
    }

    static String sha256(byte[] line) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(line));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }
}
