/**
 * The backup provider test kit: what a provider's tests need to show it keeps the SPI's promises.
 *
 * <ul>
 *   <li>{@link dev.rear.testkit.BackupProviderContract} — an abstract JUnit 5 class a provider's
 *       test extends: settings validation, capability honesty, secrets kept out of the rescue
 *       system and the logs, a backup restored into an empty root reproducing the tree, and the
 *       refusal paths (a target root holding files, a restore point that does not exist, a
 *       cancelled operation).</li>
 *   <li>{@link dev.rear.testkit.FakeProviderContext} — the context without the engine: a fake
 *       clock that {@code pause} advances, recorded progress, log lines and questions.</li>
 *   <li>{@link dev.rear.testkit.RecordingCommandRunner} — answers vendor CLI calls from scripted
 *       answers, records them, and fails on any command nobody expected.</li>
 *   <li>{@link dev.rear.testkit.TreeSnapshot} — compares restored trees with their source.</li>
 * </ul>
 *
 * <p>Depends on {@code rear-api}, JUnit Jupiter's API and AssertJ only, never on the engine, so an
 * integrator's plugin can use it as the shipped providers do. <b>Experimental</b> like the SPI.
 *
 * @since 0.1
 */
@NullMarked
package dev.rear.testkit;

import org.jspecify.annotations.NullMarked;
