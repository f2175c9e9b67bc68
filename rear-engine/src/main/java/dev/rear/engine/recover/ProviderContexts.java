package dev.rear.engine.recover;

import dev.rear.api.command.CommandRunner;
import dev.rear.engine.provider.EngineProviderContext;

/** Makes the provider context of one step, around the step's journaled command runner. */
@FunctionalInterface
public interface ProviderContexts {
    /**
     * @param journaled the step's runner: every call is a {@code command.ran} of the step
     * @return a fresh context; the caller closes it (its temporary directory goes)
     */
    EngineProviderContext open(CommandRunner journaled);
}
