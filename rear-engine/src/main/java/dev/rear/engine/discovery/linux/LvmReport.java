package dev.rear.engine.discovery.linux;

import java.util.List;
import java.util.Objects;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * What an LVM JSON report says: volume groups, physical volumes and logical volumes, from
 * {@link LvmReportParser}. Sizes are bytes; names are without LVM's brackets.
 *
 * @param volumeGroups    the VGs, in report order
 * @param physicalVolumes the PVs, in report order
 * @param logicalVolumes  the LVs, hidden sub-LVs included and {@linkplain Lv#hidden() flagged}
 */
public record LvmReport(List<Vg> volumeGroups, List<Pv> physicalVolumes, List<Lv> logicalVolumes) {

    public LvmReport {
        volumeGroups = List.copyOf(volumeGroups);
        physicalVolumes = List.copyOf(physicalVolumes);
        logicalVolumes = List.copyOf(logicalVolumes);
    }

    /** The LVs an administrator sees in plain {@code lvs}: not hidden. */
    public List<Lv> visibleLogicalVolumes() {
        return logicalVolumes.stream().filter(lv -> !lv.hidden()).toList();
    }

    /** The LV {@code vg/lv}, hidden ones included. */
    public Optional<Lv> logicalVolume(String vgName, String lvName) {
        return logicalVolumes.stream()
                .filter(lv -> lv.vgName().equals(vgName) && lv.name().equals(lvName))
                .findFirst();
    }

    /** The PVs of one VG. */
    public List<Pv> physicalVolumesOf(String vgName) {
        return physicalVolumes.stream().filter(pv -> vgName.equals(pv.vgName())).toList();
    }

    /**
     * A volume group.
     *
     * @param extentSizeBytes {@code vg_extent_size}
     * @param sizeBytes       {@code vg_size}
     * @param freeBytes       {@code vg_free}, null when not reported
     */
    public record Vg(String name, String uuid, long extentSizeBytes, long sizeBytes, @Nullable Long freeBytes) {
        public Vg {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(uuid, "uuid");
        }
    }

    /**
     * A physical volume.
     *
     * @param device       {@code pv_name}, the device the PV label is on
     * @param vgName       its VG, null for a PV in no VG (an orphan) or when the report did not say
     * @param sizeBytes    {@code pv_size}
     * @param peStartBytes {@code pe_start}, the offset of the first extent
     * @param devSizeBytes {@code dev_size}, null when not reported
     */
    public record Pv(String device, String uuid, @Nullable String vgName, long sizeBytes, long peStartBytes,
            @Nullable Long devSizeBytes) {
        public Pv {
            Objects.requireNonNull(device, "device");
            Objects.requireNonNull(uuid, "uuid");
        }
    }

    /**
     * A logical volume.
     *
     * @param vgName            its VG
     * @param name              {@code lv_name} without brackets ({@code pool_tmeta}, not {@code [pool_tmeta]})
     * @param hidden            whether LVM printed the name in brackets: a sub-LV that is part of
     *                          another LV and is recreated with it, never on its own
     * @param internalRole      what a hidden LV is part of, from {@code lv_role}; null for a visible LV
     * @param sizeBytes         {@code lv_size}; for a thin volume its virtual size
     * @param attr              {@code lv_attr} ({@code Vwi-a-tz--})
     * @param layout            {@code lv_layout} words ({@code thin}, {@code pool})
     * @param role              {@code lv_role} words ({@code public}, {@code private}, {@code thin} ...)
     * @param parent            {@code lv_parent}: the LV a sub-LV belongs to, null if none or not reported
     * @param pool              {@code pool_lv} without brackets: a thin volume's pool; null if none
     * @param metadataSizeBytes {@code lv_metadata_size}: a thin or cache pool's metadata LV size; null if none
     * @param segments          its segments, in order (a plain LV has one)
     */
    public record Lv(
            String vgName,
            String name,
            String uuid,
            boolean hidden,
            @Nullable InternalRole internalRole,
            long sizeBytes,
            String attr,
            List<String> layout,
            List<String> role,
            @Nullable String parent,
            @Nullable String pool,
            @Nullable Long metadataSizeBytes,
            List<Segment> segments) {

        public Lv {
            Objects.requireNonNull(vgName, "vgName");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(uuid, "uuid");
            Objects.requireNonNull(attr, "attr");
            layout = List.copyOf(layout);
            role = List.copyOf(role);
            segments = List.copyOf(segments);
            if (segments.isEmpty()) {
                throw new IllegalArgumentException("LV " + vgName + "/" + name + " has no segment");
            }
        }

        /** The segment type of the first segment ({@code linear}, {@code striped}, {@code thin-pool} ...). */
        public String segtype() {
            return segments.get(0).segtype();
        }

        /** Whether its segments do not all have the same type (an LV extended with another layout). */
        public boolean mixedSegmentTypes() {
            return segments.stream().map(Segment::segtype).distinct().count() > 1;
        }
    }

    /**
     * One segment of an LV.
     *
     * @param segtype         {@code segtype}
     * @param startBytes      {@code seg_start}, null when not reported
     * @param sizeBytes       {@code seg_size}, null when not reported
     * @param stripes         {@code stripes}: stripes, or raid1/mirror legs; 0 for thin volumes
     * @param stripeSizeBytes {@code stripe_size}, 0 where it does not apply
     * @param chunkSizeBytes  {@code chunk_size} (thin pool, snapshot), 0 where it does not apply; null when not reported
     * @param regionSizeBytes {@code region_size} (raid, mirror); null when not reported
     * @param dataCopies      {@code data_copies} (2 for a two-leg raid1); null when not reported
     * @param devices         {@code devices}: PVs or sub-LVs with their first extent; null when not
     *                        reported, empty for a thin volume
     */
    public record Segment(
            String segtype,
            @Nullable Long startBytes,
            @Nullable Long sizeBytes,
            int stripes,
            long stripeSizeBytes,
            @Nullable Long chunkSizeBytes,
            @Nullable Long regionSizeBytes,
            @Nullable Integer dataCopies,
            @Nullable List<SegmentDevice> devices) {
        public Segment {
            Objects.requireNonNull(segtype, "segtype");
            devices = devices == null ? null : List.copyOf(devices);
        }
    }

    /**
     * One entry of the {@code devices} column: {@code /dev/vdi(8)} or {@code pool_tdata(0)}.
     *
     * @param name        a PV's device, or a sub-LV's name without brackets
     * @param firstExtent the first extent used on it
     */
    public record SegmentDevice(String name, long firstExtent) {}

    /** What a hidden sub-LV is, from its {@code lv_role}. */
    public enum InternalRole {
        /** {@code [pool_tmeta]}: a thin pool's metadata. */
        THIN_POOL_METADATA,
        /** {@code [pool_tdata]}: a thin pool's data. */
        THIN_POOL_DATA,
        /** {@code [lvol0_pmspare]}: the spare for repairing pool metadata. */
        POOL_METADATA_SPARE,
        /** {@code [lv_rimage_N]}: a raid image. */
        RAID_IMAGE,
        /** {@code [lv_rmeta_N]}: a raid image's metadata. */
        RAID_METADATA,
        /** {@code [lv_mimage_N]}: a mirror leg. */
        MIRROR_IMAGE,
        /** {@code [lv_mlog]}: a mirror log. */
        MIRROR_LOG,
        /** {@code [lv_cdata]}, {@code [lv_cmeta]}, {@code [cpool]}: part of a cache. */
        CACHE,
        /** A hidden LV whose role rear does not know (vdo, integrity, writecache ...). */
        OTHER
    }
}
