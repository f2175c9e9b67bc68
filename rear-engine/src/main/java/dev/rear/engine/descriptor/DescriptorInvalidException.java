package dev.rear.engine.descriptor;

import dev.rear.api.RearException;
import java.util.List;

/**
 * A descriptor that cannot be used: not JSON, not a rear descriptor, of another schema version,
 * or breaking one or more rules. Carries every violation found, not just the first.
 */
public class DescriptorInvalidException extends RearException {
    private static final long serialVersionUID = 1L;

    private final transient List<Violation> violations;

    public DescriptorInvalidException(String message, List<Violation> violations) {
        super(message);
        this.violations = List.copyOf(violations);
    }

    public DescriptorInvalidException(String message) {
        this(message, List.of());
    }

    /** Every violation found, in {@link Violation#ORDER}; empty when the document could not be read at all. */
    public List<Violation> violations() {
        return violations;
    }
}
