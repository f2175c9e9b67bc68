/**
 * Running external programs: what rear and its providers ask for ({@link CommandSpec}), what comes
 * back ({@link CommandResult}), and who runs it ({@link CommandRunner}). An argv list, never a shell
 * string; secrets named so they never reach a log or a journal; failure is an exception, never an
 * empty result.
 *
 * @since 0.1
 */
@NullMarked
package dev.rear.api.command;

import org.jspecify.annotations.NullMarked;
