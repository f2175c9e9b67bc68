package dev.rear.engine.output;

import dev.rear.engine.config.OutputMethod;

/** The {@link RescueOutput} for each {@code OUTPUT} method. (Being written.) */
public final class Outputs {
    private Outputs() {}

    /** The output writing {@code method}. */
    public static RescueOutput forMethod(OutputMethod method) {
        return (image, request, runner) -> {
            throw new OutputException("OUTPUT=" + method + " is not written yet");
        };
    }
}
