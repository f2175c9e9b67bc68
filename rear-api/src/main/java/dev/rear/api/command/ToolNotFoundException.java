package dev.rear.api.command;

import dev.rear.api.RearException;
import org.jspecify.annotations.Nullable;

/**
 * A program rear needs is not installed. The message names the package that brings it, where known.
 *
 * @since 0.1
 */
public class ToolNotFoundException extends RearException {
    private static final long serialVersionUID = 1L;

    private final String program;
    private final @Nullable String debianPackage;

    public ToolNotFoundException(String program, @Nullable String debianPackage) {
        super("'" + program + "' is not installed" + (debianPackage == null ? ""
                : "; it comes with the package " + debianPackage + " (Debian/Ubuntu: apt-get install " + debianPackage + ")"));
        this.program = program;
        this.debianPackage = debianPackage;
    }

    public String program() {
        return program;
    }

    public @Nullable String debianPackage() {
        return debianPackage;
    }
}
