package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Positive;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A Linux software RAID (md) array, from {@code mdadm --detail --export} and {@code --examine}.
 *
 * @param device         the array's device node, {@code /dev/md0} (or {@code /dev/md/root})
 * @param name           the array name from the superblock ({@code host:root}); none on 0.90 metadata
 * @param level          {@code raid0}, {@code raid1}, {@code raid4}, {@code raid5}, {@code raid6},
 *                       {@code raid10} or {@code linear}
 * @param metadata       the superblock version: {@code 0.90}, {@code 1.0}, {@code 1.1}, {@code 1.2}, {@code imsm}, {@code ddf}
 * @param uuid           the array UUID as mdadm prints it
 * @param chunkSizeBytes the chunk size, for striped levels
 * @param layout         the layout ({@code left-symmetric}, {@code near=2}), where the level has one
 * @param bitmap         the write-intent bitmap: {@code internal}, {@code none}, or a file path
 * @param sizeBytes      the array's usable size
 * @param raidDevices    the number of active slots ({@code --raid-devices})
 * @param members        every member device, active ones with their slot, spares without
 * @since 0.1
 */
public record RaidArray(
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.DEVICE_PATH) String device,
        @Nullable String name,
        @JsonProperty(required = true) @NotNull @Pattern(regexp = "^(raid0|raid1|raid4|raid5|raid6|raid10|linear)$") String level,
        @JsonProperty(required = true) @NotNull @Pattern(regexp = "^(0\\.90|1\\.0|1\\.1|1\\.2|imsm|ddf)$") String metadata,
        @JsonProperty(required = true) @NotNull @Pattern(regexp = Patterns.MD_UUID) String uuid,
        @Nullable @Positive Long chunkSizeBytes,
        @Nullable String layout,
        @Nullable String bitmap,
        @Nullable @Positive Long sizeBytes,
        @JsonProperty(required = true) @Positive int raidDevices,
        @JsonProperty(required = true) @NotEmpty List<@Valid RaidMember> members) {

    public RaidArray {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(uuid, "uuid");
        members = Lists.copy(members);
    }

    /** {@code md:<device name>}: {@code md:md0}, {@code md:md/root}. */
    public String id() {
        return "md:" + Lists.devName(device);
    }

    /** The members that hold no slot. */
    public List<RaidMember> spares() {
        return members.stream().filter(RaidMember::isSpare).toList();
    }
}
