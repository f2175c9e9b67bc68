/**
 * The public API of rear: what an integrator compiles against.
 *
 * <ul>
 *   <li>{@link dev.rear.api.descriptor} — the system descriptor: what a machine <em>is</em>.</li>
 * </ul>
 */
@NullMarked
package dev.rear.api;

import org.jspecify.annotations.NullMarked;
