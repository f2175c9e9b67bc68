package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.PositiveOrZero;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A disk's partition table, as {@code sfdisk -J} reports it.
 *
 * @param type           {@code gpt}, {@code dos} or {@code none}
 * @param id             the disk GUID on GPT, the DOS disk identifier ({@code 0x8e1c5f2a}) on DOS
 * @param firstUsableLba on GPT, the first sector a partition may use
 * @param lastUsableLba  on GPT, the last sector a partition may use
 * @param partitions     the partitions, in the order the table lists them
 * @since 0.1
 */
public record PartitionTable(
        @JsonProperty(required = true) @NotNull PartitionTableType type,
        @Nullable String id,
        @Nullable @PositiveOrZero Long firstUsableLba,
        @Nullable @PositiveOrZero Long lastUsableLba,
        List<@Valid Partition> partitions) {

    /** A disk used whole, without a partition table. */
    public static final PartitionTable NONE = new PartitionTable(PartitionTableType.NONE, null, null, null, List.of());

    public PartitionTable {
        Objects.requireNonNull(type, "type");
        partitions = Lists.copy(partitions);
    }
}
