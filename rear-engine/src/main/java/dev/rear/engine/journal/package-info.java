/**
 * The journal: an append-only file of {@link dev.rear.api.event.JournalEntry JSON lines}, each
 * carrying its sequence number and the SHA-256 of the line before it, forced to disk before the
 * next command runs ({@link JournalWriter}); read back with every link checked and only a torn
 * last line forgiven ({@link JournalReader}); and the state of a run as a pure fold over its
 * events ({@link RunState}).
 */
@NullMarked
package dev.rear.engine.journal;

import org.jspecify.annotations.NullMarked;
