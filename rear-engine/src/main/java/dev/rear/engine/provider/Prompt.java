package dev.rear.engine.provider;

import java.io.Console;
import java.util.Optional;

/** Asks the administrator a question (a provider's {@link dev.rear.api.spi.ProviderContext#ask}). */
@FunctionalInterface
public interface Prompt {

    /** Nobody to ask: unattended, or no terminal. */
    Prompt NOBODY = (question, secret) -> Optional.empty();

    /**
     * @return the answer, empty when nobody can answer or the input ended
     */
    Optional<String> ask(String question, boolean secret);

    /** Whether the administrator, warned with {@code warning}, typed {@code YES}; {@code false} when nobody can answer. */
    default boolean typedYes(String warning) {
        return ask(warning + " Type YES to continue:", false).map(a -> a.strip().equals("YES")).orElse(false);
    }

    /**
     * The process's terminal ({@link System#console()}): a secret is read without echo. Nobody
     * when there is no terminal or {@code unattended}.
     */
    static Prompt console(boolean unattended) {
        Console c = System.console();
        if (unattended || c == null) {
            return NOBODY;
        }
        return (question, secret) -> {
            String q = question.strip() + " ";
            if (secret) {
                char[] pw = c.readPassword("%s", q);
                return pw == null ? Optional.empty() : Optional.of(new String(pw));
            }
            return Optional.ofNullable(c.readLine("%s", q));
        };
    }
}
