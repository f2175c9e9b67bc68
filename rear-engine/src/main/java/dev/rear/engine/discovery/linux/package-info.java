/**
 * Parsers of Linux tool output and kernel files: each a pure function from the text a command
 * printed (or a file held) to small records of what it says, tested on captured real output kept
 * as fixtures under {@code src/test/resources/fixtures/<tool>/}. Running the commands is not their
 * business; {@code dev.rear.engine.discovery} does that and assembles the descriptor.
 *
 * <p>Output a parser cannot make sense of is never turned into "nothing": it throws
 * {@link dev.rear.engine.discovery.linux.ToolOutputException} naming the command and what was wrong.
 */
@NullMarked
package dev.rear.engine.discovery.linux;

import org.jspecify.annotations.NullMarked;
