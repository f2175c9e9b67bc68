package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * Where a partition sits in a DOS (MBR) table: one of the four primary slots, the extended
 * container, or a logical partition inside it (numbered from 5).
 *
 * @since 0.1
 */
public enum DosPartitionKind {
    @JsonProperty("primary") PRIMARY,
    @JsonProperty("extended") EXTENDED,
    @JsonProperty("logical") LOGICAL
}
