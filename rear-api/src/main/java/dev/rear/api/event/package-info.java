/**
 * The events of a run's journal: what rear did, step by step, to which disk — recorded before
 * the next command runs. Each event type has a stable name ({@code run.started},
 * {@code command.ran}, …) that a newer rear must still read; the state of a run is a fold over them.
 *
 * @since 0.1
 */
@NullMarked
package dev.rear.api.event;

import org.jspecify.annotations.NullMarked;
