package dev.rear.api.event;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * One event of a journaled run (a recovery, a backup). Serialised with its stable type name in
 * {@code type}; Jackson 2 does not read {@code permits}, hence the explicit list (a test checks the
 * two agree).
 *
 * @since 0.1
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
@JsonSubTypes({
    @JsonSubTypes.Type(value = RunStarted.class, name = RunStarted.TYPE),
    @JsonSubTypes.Type(value = StepStarted.class, name = StepStarted.TYPE),
    @JsonSubTypes.Type(value = CommandRan.class, name = CommandRan.TYPE),
    @JsonSubTypes.Type(value = StepSucceeded.class, name = StepSucceeded.TYPE),
    @JsonSubTypes.Type(value = StepSkipped.class, name = StepSkipped.TYPE),
    @JsonSubTypes.Type(value = StepFailed.class, name = StepFailed.TYPE),
    @JsonSubTypes.Type(value = RunFinished.class, name = RunFinished.TYPE),
    @JsonSubTypes.Type(value = RunResumed.class, name = RunResumed.TYPE)
})
public sealed interface JournalEvent
        permits RunStarted, StepStarted, CommandRan, StepSucceeded, StepSkipped, StepFailed, RunFinished, RunResumed {
}
