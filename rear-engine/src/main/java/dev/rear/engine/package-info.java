/** The rear engine: descriptor I/O, validation and diff, and the CLI. Exports nothing to providers. */
@NullMarked
package dev.rear.engine;

import org.jspecify.annotations.NullMarked;
