/**
 * The public API of rear: what an integrator compiles against.
 *
 * <ul>
 *   <li>{@link dev.rear.api.descriptor} — the system descriptor: what a machine <em>is</em>.</li>
 *   <li>{@link dev.rear.api.command} — running external programs: what providers ask the engine to run.</li>
 *   <li>{@link dev.rear.api.spi} — the backup provider SPI (experimental): what a machine <em>holds</em>.</li>
 * </ul>
 */
@NullMarked
package dev.rear.api;

import org.jspecify.annotations.NullMarked;
