package dev.rear.engine.cli;

import java.util.List;
import java.util.Set;

/**
 * Starts, on spare cores, the slow one-time set-up the command is going to need anyway (Hibernate
 * Validator's metadata, Jackson's record introspection, the compiled JSON Schema), so that it
 * overlaps with reading files and running tools instead of following them. Class initialisation
 * is thread-safe: whichever thread gets there first does the work, the other waits for it.
 */
final class Warmup {
    private Warmup() {}

    private static final Set<String> DESCRIPTOR_COMMANDS = Set.of("validate", "diff", "savelayout", "checklayout", "audit",
            "mkrescue", "mkbackup");

    static void start(String[] args) {
        String command = Main.command(args);
        if (!DESCRIPTOR_COMMANDS.contains(command)) {
            return;
        }
        List<String> classes = command.equals("validate") || command.equals("diff")
                ? List.of("dev.rear.engine.descriptor.DescriptorValidator", "dev.rear.engine.descriptor.DescriptorSchema")
                : List.of("dev.rear.engine.descriptor.DescriptorValidator");
        for (String c : classes) {
            Thread t = new Thread(() -> {
                try {
                    Class.forName(c, true, Warmup.class.getClassLoader());
                } catch (ClassNotFoundException | LinkageError e) {
                    // the command itself will meet the problem and report it
                }
            }, "rear-warmup");
            t.setDaemon(true);
            t.start();
        }
    }
}
