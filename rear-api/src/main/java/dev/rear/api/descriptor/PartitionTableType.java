package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The kind of partition table on a disk; {@code none} for a disk used whole (a filesystem, a PV
 * or an md member straight on the disk).
 *
 * @since 0.1
 */
public enum PartitionTableType {
    @JsonProperty("gpt") GPT,
    @JsonProperty("dos") DOS,
    @JsonProperty("none") NONE
}
