package dev.rear.engine.provider;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class PromptTest {

    @Test
    void onlyAnExactYesConfirms() {
        List<String> asked = new ArrayList<>();
        for (String answer : List.of("YES", " YES\t")) {
            assertThat(((Prompt) (q, secret) -> {
                asked.add(q);
                return Optional.of(answer);
            }).typedYes("This DESTROYS /dev/vdb.")).as(answer).isTrue();
        }
        for (String answer : List.of("yes", "Y", "", "YES please")) {
            assertThat(((Prompt) (q, secret) -> Optional.of(answer)).typedYes("x")).as(answer).isFalse();
        }
        assertThat(Prompt.NOBODY.typedYes("x")).as("nobody to ask").isFalse();
        assertThat(asked).containsOnly("This DESTROYS /dev/vdb. Type YES to continue:");
    }
}
