package dev.rear.engine.discovery.linux;

import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What {@code mdadm --detail --export} and {@code mdadm --detail} say about one md array, taken
 * together by {@link MdadmDetailParser#facts}. Which command gives which fact is listed on
 * {@link MdadmDetailParser}.
 *
 * @param device         the array's node as {@code mdadm --detail} names it ({@code /dev/md0})
 * @param level          {@code raid1}, {@code raid5}, ... as mdadm prints it
 * @param metadata       the superblock version ({@code 1.2}, {@code 0.90}, {@code imsm})
 * @param uuid           the array UUID in mdadm's form ({@code 3f6a2c1e:8b7d4e90:a1c2d3e4:f5061728})
 * @param name           the array name from the superblock ({@code host:name}); null on 0.90 metadata
 * @param raidDevices    the number of slots ({@code --raid-devices})
 * @param chunkSizeBytes the chunk size, for levels that stripe; null for raid1
 * @param layout         the layout ({@code left-symmetric}, {@code near=2}); null where the level has none
 * @param bitmap         {@code internal}, a bitmap file path, or {@code none} when mdadm printed no
 *                       "Intent Bitmap" line
 * @param sizeBytes      the array size (mdadm prints KiB)
 * @param state          the state words ({@code clean}, {@code degraded}, {@code recovering} ...)
 * @param degraded       whether the state says {@code degraded}
 * @param members        the member devices, slot holders and spares
 * @param missingSlots   slots that have no device ("removed" rows), sorted
 */
public record MdArrayFacts(
        String device,
        String level,
        String metadata,
        String uuid,
        @Nullable String name,
        int raidDevices,
        @Nullable Long chunkSizeBytes,
        @Nullable String layout,
        String bitmap,
        @Nullable Long sizeBytes,
        List<String> state,
        boolean degraded,
        List<Member> members,
        List<Integer> missingSlots) {

    public MdArrayFacts {
        Objects.requireNonNull(device, "device");
        Objects.requireNonNull(level, "level");
        Objects.requireNonNull(metadata, "metadata");
        Objects.requireNonNull(uuid, "uuid");
        Objects.requireNonNull(bitmap, "bitmap");
        state = List.copyOf(state);
        members = List.copyOf(members);
        missingSlots = List.copyOf(missingSlots);
    }

    /** The members without a slot: spares (and faulty members, whose state says so). */
    public List<Member> spares() {
        return members.stream().filter(m -> m.slot() == null).toList();
    }

    /**
     * One member device.
     *
     * @param device the member's node ({@code /dev/vdb})
     * @param slot   its slot ("RaidDevice"), null for a spare
     * @param states the state words of its row ({@code active}, {@code sync}, {@code spare},
     *               {@code faulty}, {@code rebuilding}, {@code writemostly})
     */
    public record Member(String device, @Nullable Integer slot, List<String> states) {
        public Member {
            Objects.requireNonNull(device, "device");
            states = List.copyOf(states);
        }
    }
}
