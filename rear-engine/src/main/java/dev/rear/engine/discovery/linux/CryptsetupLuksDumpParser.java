package dev.rear.engine.discovery.linux;

import static dev.rear.engine.discovery.linux.KeyValueLines.clip;
import static dev.rear.engine.discovery.linux.KeyValueLines.leadingLong;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Reads {@code cryptsetup luksDump <device>} (cryptsetup 2.x) for LUKS1 and LUKS2 headers into
 * {@link LuksHeaderFacts}.
 *
 * <p>LUKS1 sample lines (fields, then one block per key slot):
 * <pre>
 * LUKS header information for /dev/vdl
 * Version:       	1
 * Cipher name:   	aes
 * Cipher mode:   	xts-plain64
 * Hash spec:     	sha256
 * Payload offset:	4096
 * MK bits:       	512
 * UUID:          	0e7e1c5a-1111-4a2b-8c3d-4e5f60718293
 * Key Slot 0: ENABLED
 * 	Iterations:         	1000
 * </pre>
 * LUKS2 sample lines (fields, then sections of numbered entries with tab-indented fields):
 * <pre>
 * LUKS header information
 * Version:       	2
 * UUID:          	5e1f0c2a-7b3d-4c8e-9f10-a2b3c4d5e6f7
 * Label:         	rear-luks2
 * Data segments:
 *   0: crypt
 * 	offset: 16777216 [bytes]
 * 	cipher: aes-xts-plain64
 * Keyslots:
 *   0: luks2
 * 	Key:        512 bits
 * 	PBKDF:      argon2id
 * 	AF hash:    sha256
 * </pre>
 *
 * <p>Salts, digests and the master-key digest are printed by luksDump but never read into the
 * result: their lines are skipped by name, and the hex lines that continue them have no key.
 * ({@code --dump-json-metadata} has no label; the text form is the one that has everything.)
 */
public final class CryptsetupLuksDumpParser {

    /** How the error messages name the command. */
    public static final String COMMAND = "cryptsetup luksDump";

    /** Fields whose values are secret-adjacent and never kept. */
    private static final Set<String> NEVER_READ = Set.of("Salt", "Digest", "MK digest", "MK salt");

    private static final Pattern LUKS1_SLOT = Pattern.compile("Key Slot (\\d+): (ENABLED|DISABLED)");
    private static final Pattern LUKS2_ENTRY = Pattern.compile(" {2}(\\d+): (\\S+)(.*)");

    private CryptsetupLuksDumpParser() {}

    /**
     * Parses the text printed by {@code cryptsetup luksDump <device>}.
     *
     * @throws ToolOutputException naming {@value #COMMAND} when the header line is missing, the
     *     version is neither 1 nor 2, a required field is missing or malformed, or no key slot is active
     */
    public static LuksHeaderFacts parse(String dump) {
        List<String> lines = Arrays.asList(dump.split("\n", -1));
        int first = 0;
        while (first < lines.size() && lines.get(first).isBlank()) {
            first++;
        }
        if (first == lines.size()) {
            throw new ToolOutputException(COMMAND, "the output is empty");
        }
        if (!lines.get(first).startsWith("LUKS header information")) {
            throw new ToolOutputException(COMMAND, "the first line is not 'LUKS header information': '"
                    + clip(lines.get(first)) + "'");
        }
        List<String> body = lines.subList(first + 1, lines.size());
        Map<String, String> top = topFields(body);
        String version = required(top, "Version", "the header");
        return switch (version) {
            case "1" -> luks1(body, top);
            case "2" -> luks2(body, top);
            default -> throw new ToolOutputException(COMMAND, "Version '" + clip(version) + "' is neither 1 nor 2");
        };
    }

    // ---------------------------------------------------------------- LUKS1

    private static LuksHeaderFacts luks1(List<String> body, Map<String, String> top) {
        String cipher = required(top, "Cipher name", "the header") + "-" + required(top, "Cipher mode", "the header");
        String hash = required(top, "Hash spec", "the header");
        int keyBits = intValue(required(top, "MK bits", "the header"), "MK bits");
        long payloadSectors = leadingLong(COMMAND, "Payload offset", required(top, "Payload offset", "the header"));
        String uuid = required(top, "UUID", "the header");

        List<LuksHeaderFacts.Keyslot> slots = new ArrayList<>();
        Integer current = null;
        Map<String, String> fields = new HashMap<>();
        for (String line : body) {
            Matcher m = LUKS1_SLOT.matcher(line.strip());
            if (m.matches()) {
                if (current != null) {
                    slots.add(luks1Slot(current, fields, hash, keyBits));
                }
                current = "ENABLED".equals(m.group(2)) ? Integer.valueOf(m.group(1)) : null;
                fields = new HashMap<>();
            } else if (current != null && line.startsWith("\t")) {
                putField(fields, line, "key slot " + current);
            }
        }
        if (current != null) {
            slots.add(luks1Slot(current, fields, hash, keyBits));
        }
        if (slots.isEmpty()) {
            throw new ToolOutputException(COMMAND, "no key slot is ENABLED");
        }
        return new LuksHeaderFacts(1, uuid, null, null, cipher, keyBits, hash, "pbkdf2",
                Math.multiplyExact(payloadSectors, 512L), 512, List.of(), slots);
    }

    private static LuksHeaderFacts.Keyslot luks1Slot(int slot, Map<String, String> f, String hash, int keyBits) {
        long iterations = leadingLong(COMMAND, "key slot " + slot + " Iterations",
                required(f, "Iterations", "key slot " + slot));
        return new LuksHeaderFacts.Keyslot(slot, "pbkdf2", hash, iterations, null, null, null, hash, keyBits);
    }

    // ---------------------------------------------------------------- LUKS2

    private static LuksHeaderFacts luks2(List<String> body, Map<String, String> top) {
        Map<String, List<Entry>> sections = sections(body);
        String uuid = required(top, "UUID", "the header");
        String label = none(required(top, "Label", "the header"));
        String subsystem = none(top.getOrDefault("Subsystem", "(no subsystem)"));
        String flagsText = none(top.getOrDefault("Flags", "(no flags)"));
        List<String> flags = flagsText == null ? List.of() : Arrays.asList(flagsText.trim().split("\\s+"));

        Entry segment = sections.getOrDefault("Data segments", List.of()).stream()
                .filter(e -> e.type().equals("crypt"))
                .findFirst()
                .orElseThrow(() -> new ToolOutputException(COMMAND, "no 'crypt' entry under 'Data segments:'"));
        String where = "data segment " + segment.number();
        String cipher = required(segment.fields(), "cipher", where);
        long offset = leadingLong(COMMAND, where + " offset", required(segment.fields(), "offset", where));
        int sector = Math.toIntExact(leadingLong(COMMAND, where + " sector",
                segment.fields().getOrDefault("sector", "512 [bytes]")));

        // Only slots that unlock the volume key: "luks2" without "(unbound)"; a "reencrypt"
        // slot holds reencryption state, not a passphrase.
        List<LuksHeaderFacts.Keyslot> slots = new ArrayList<>();
        for (Entry e : sections.getOrDefault("Keyslots", List.of())) {
            if (e.type().equals("luks2") && !e.qualifier().contains("unbound")) {
                slots.add(luks2Slot(e));
            }
        }
        if (slots.isEmpty()) {
            throw new ToolOutputException(COMMAND, "no bound luks2 entry under 'Keyslots:'");
        }
        LuksHeaderFacts.Keyslot firstSlot = slots.get(0);
        return new LuksHeaderFacts(2, uuid, label, subsystem, cipher, firstSlot.keySizeBits(), firstSlot.afHash(),
                firstSlot.pbkdf(), offset, sector, flags, slots);
    }

    private static LuksHeaderFacts.Keyslot luks2Slot(Entry e) {
        String where = "key slot " + e.number();
        Map<String, String> f = e.fields();
        int keyBits = Math.toIntExact(leadingLong(COMMAND, where + " Key", required(f, "Key", where)));
        String pbkdf = required(f, "PBKDF", where);
        String afHash = required(f, "AF hash", where);
        if (pbkdf.equals("pbkdf2")) {
            return new LuksHeaderFacts.Keyslot(e.number(), pbkdf, required(f, "Hash", where),
                    leadingLong(COMMAND, where + " Iterations", required(f, "Iterations", where)),
                    null, null, null, afHash, keyBits);
        }
        if (pbkdf.startsWith("argon2")) {
            return new LuksHeaderFacts.Keyslot(e.number(), pbkdf, null, null,
                    leadingLong(COMMAND, where + " Time cost", required(f, "Time cost", where)),
                    leadingLong(COMMAND, where + " Memory", required(f, "Memory", where)),
                    Math.toIntExact(leadingLong(COMMAND, where + " Threads", required(f, "Threads", where))),
                    afHash, keyBits);
        }
        throw new ToolOutputException(COMMAND, where + " has an unknown PBKDF '" + clip(pbkdf) + "'");
    }

    /**
     * A numbered entry of a LUKS2 section ({@code "  0: luks2"}, {@code "  2: luks2 (unbound)"})
     * with its tab-indented fields.
     */
    private record Entry(int number, String type, String qualifier, Map<String, String> fields) {}

    /**
     * The LUKS2 sections ("Data segments:", "Keyslots:", "Tokens:", "Digests:"), each a list of
     * entries. A section header is an unindented line ending in a colon.
     */
    private static Map<String, List<Entry>> sections(List<String> body) {
        Map<String, List<Entry>> out = new LinkedHashMap<>();
        String section = null;
        Entry entry = null;
        for (String line : body) {
            if (line.isBlank()) {
                continue;
            }
            boolean indented = Character.isWhitespace(line.charAt(0));
            if (!indented && line.strip().endsWith(":") && line.indexOf(':') == line.strip().length() - 1) {
                section = line.strip().substring(0, line.strip().length() - 1);
                out.put(section, new ArrayList<>());
                entry = null;
                continue;
            }
            if (section == null || !indented) {
                continue; // a top-level field, read by topFields
            }
            Matcher m = LUKS2_ENTRY.matcher(line);
            if (m.matches()) {
                entry = new Entry(Integer.parseInt(m.group(1)), m.group(2), m.group(3).trim(), new LinkedHashMap<>());
                out.get(section).add(entry);
            } else if (line.startsWith("\t") && entry != null) {
                // Tokens repeat keys ("Keyslot:" once per slot) and are not read: keep the first.
                boolean strict = !section.equals("Tokens");
                putField(entry.fields(), line, section + " " + entry.number(), strict);
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- shared

    /** Unindented {@code Key: value} lines before the first section or key slot. */
    private static Map<String, String> topFields(List<String> body) {
        Map<String, String> top = new HashMap<>();
        for (String line : body) {
            if (line.isBlank() || Character.isWhitespace(line.charAt(0))) {
                continue;
            }
            String stripped = line.strip();
            if (LUKS1_SLOT.matcher(stripped).matches() || stripped.endsWith(":")) {
                continue; // a key slot line or a section header
            }
            putField(top, line, "the header");
        }
        return top;
    }

    /** Reads {@code key: value}, skipping salts and digests and lines without a key. */
    private static void putField(Map<String, String> into, String line, String where) {
        putField(into, line, where, true);
    }

    private static void putField(Map<String, String> into, String line, String where, boolean strict) {
        int colon = line.indexOf(':');
        if (colon < 0) {
            return; // the hex continuation of a salt or digest
        }
        String key = line.substring(0, colon).strip();
        if (key.isEmpty() || NEVER_READ.contains(key)) {
            return;
        }
        String value = line.substring(colon + 1).strip();
        if (into.putIfAbsent(key, value) != null && strict) {
            throw new ToolOutputException(COMMAND, "'" + key + "' appears twice in " + where);
        }
    }

    private static String required(Map<String, String> fields, String key, String where) {
        String v = fields.get(key);
        if (v == null || v.isEmpty()) {
            throw new ToolOutputException(COMMAND, "'" + key + ":' is missing in " + where);
        }
        return v;
    }

    private static int intValue(String value, String what) {
        return Math.toIntExact(leadingLong(COMMAND, what, value));
    }

    /** {@code (no label)}, {@code (no subsystem)}, {@code (no flags)} mean none. */
    private static @Nullable String none(String value) {
        return value.startsWith("(no ") && value.endsWith(")") ? null : value;
    }
}
