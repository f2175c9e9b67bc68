/**
 * The system descriptor ({@code rear.descriptor/v1}): an immutable description of what a machine
 * is — host, disks and partition tables, md RAID, LVM, LUKS, filesystems, swap, bootloader, network,
 * and the components left out together with the rule that left each out.
 *
 * <p>Conventions that hold for every record here:
 * <ul>
 *   <li>Units are part of field names: {@code sizeBytes}, {@code startSector}, {@code keySizeBits}.
 *       Sector counts are in the disk's logical sectors.</li>
 *   <li>Components refer to each other by device path ({@code /dev/sda2}, {@code /dev/md0},
 *       {@code /dev/vg0/root}, {@code /dev/mapper/cryptroot}), as the Linux tools do. Which device
 *       provides a path follows from the descriptor; nothing else stores the graph.</li>
 *   <li>Every component has a stable {@code id()} ({@code disk:sda}, {@code part:sda2},
 *       {@code md:md0}, {@code vg:vg0}, {@code pv:md0}, {@code lv:vg0/root}, {@code luks:cryptroot},
 *       {@code fs:/}, {@code swap:vg0/swap}), derived, never stored.</li>
 *   <li>Lists are never {@code null} (absent means empty); optional scalars are {@code @Nullable}.</li>
 *   <li>Constructors check structure (required parts present); meaning — overlaps, dangling
 *       references, sizes that do not fit — is checked by the engine's validator, which reports
 *       every violation with its JSON path.</li>
 * </ul>
 */
@NullMarked
package dev.rear.api.descriptor;

import org.jspecify.annotations.NullMarked;
