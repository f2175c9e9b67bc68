/**
 * What the workflows share beyond the CLI: the rescue system's specification from the configuration
 * ({@link RescueSpecs}), the one-instance run lock ({@link RunLock}), the provider's daemons around a
 * restore ({@link ProviderServices}), {@code mountonly}'s plan ({@link MountOnlyPlan}) and the copy of
 * a recovery's journal and log into the recovered system ({@link JournalCopy}).
 */
@NullMarked
package dev.rear.engine.workflow;

import org.jspecify.annotations.NullMarked;
