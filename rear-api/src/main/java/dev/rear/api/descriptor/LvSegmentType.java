package dev.rear.api.descriptor;

import com.fasterxml.jackson.annotation.JsonProperty;

/**
 * The segment type of a logical volume, as {@code lvs -o segtype} names it.
 *
 * @since 0.1
 */
public enum LvSegmentType {
    @JsonProperty("linear") LINEAR,
    @JsonProperty("striped") STRIPED,
    @JsonProperty("mirror") MIRROR,
    @JsonProperty("raid0") RAID0,
    @JsonProperty("raid1") RAID1,
    @JsonProperty("raid4") RAID4,
    @JsonProperty("raid5") RAID5,
    @JsonProperty("raid6") RAID6,
    @JsonProperty("raid10") RAID10,
    @JsonProperty("thin-pool") THIN_POOL,
    @JsonProperty("thin") THIN;

    /** Thin volumes take their space from a pool, not from the VG. */
    public boolean isThin() {
        return this == THIN;
    }
}
