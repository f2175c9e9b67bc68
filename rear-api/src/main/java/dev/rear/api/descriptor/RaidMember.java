package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A member of an md array.
 *
 * @param device the member's device node, {@code /dev/sda2}
 * @param slot   its role: the slot number ({@code RaidDevice}), or {@code null} for a spare
 * @param states the states mdadm reports: {@code active}, {@code sync}, {@code spare},
 *               {@code faulty}, {@code rebuilding}, {@code writemostly}
 * @since 0.1
 */
public record RaidMember(
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.DEVICE_PATH) String device,
        @Nullable @PositiveOrZero Integer slot,
        List<@Pattern(regexp = "^[a-z-]+$") String> states) {

    public RaidMember {
        Objects.requireNonNull(device, "device");
        states = Lists.copy(states);
    }

    /** A member without a slot is a spare. (Derived, not a field: Jackson would write it as {@code "spare"}.) */
    @JsonIgnore
    public boolean isSpare() {
        return slot == null;
    }
}
