package dev.rear.engine.rescue;

import dev.rear.api.command.CommandRunner;
import dev.rear.api.spi.ProgressSink;

/** The rescue builder of this machine's kind of Linux: a newc cpio initramfs. (Being written.) */
public final class InitramfsBuilder implements RescueBuilder {

    @Override
    public RescueImage build(RescueSpec spec, CommandRunner runner, ProgressSink progress) {
        throw new RescueBuildException("the rescue builder is not written yet");
    }
}
