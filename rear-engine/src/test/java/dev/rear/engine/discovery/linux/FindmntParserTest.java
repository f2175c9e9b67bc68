package dev.rear.engine.discovery.linux;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.engine.discovery.linux.FindmntParser.Mount;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code findmnt -J -b --real}, as a tree and as a list with FSROOT, captured on the host. */
class FindmntParserTest {

    private static final String TREE = Fixtures.read("findmnt/host-tree.json");
    private static final String LIST = Fixtures.read("findmnt/host-real-list.json");
    private static final String MNT = "/var/tmp/rear-capture/mnt/";

    private static Mount at(List<Mount> mounts, String target) {
        return mounts.stream().filter(m -> m.target().equals(target)).findFirst()
                .orElseThrow(() -> new AssertionError("no mount at " + target));
    }

    @Test
    void theTreeIsFlattenedInOrderWithEachMountsParent() {
        List<Mount> mounts = FindmntParser.parse(TREE);
        assertThat(mounts).extracting(Mount::target).containsExactly(
                "/", MNT + "gpt-root", MNT + "gpt-data", MNT + "dos logical", MNT + "whole-xfs",
                MNT + "btrfs-top", MNT + "btrfs-home", MNT + "btrfs-default");
        assertThat(mounts.get(0).parentTarget()).isNull();
        assertThat(mounts.subList(1, mounts.size())).extracting(Mount::parentTarget).containsOnly("/");
        Mount root = mounts.get(0);
        assertThat(root.source()).isEqualTo("/dev/vda");
        assertThat(root.fstype()).isEqualTo("ext4");
        assertThat(root.fsroot()).isNull(); // not a default column
    }

    @Test
    void aBtrfsSubvolumeMountShowsItsSubvolumeInBracketsAfterTheDevice() {
        List<Mount> mounts = FindmntParser.parse(TREE);
        Mount home = at(mounts, MNT + "btrfs-home");
        assertThat(home.source()).isEqualTo("/dev/loop2[/@home]");
        assertThat(home.device()).isEqualTo("/dev/loop2");
        assertThat(home.sourceRoot()).isEqualTo("/@home");
        assertThat(home.option("subvol")).isEqualTo("/@home");
        assertThat(home.option("subvolid")).isEqualTo("257");

        // mounted without subvol=: the default subvolume, set by the script to the snapshot
        Mount def = at(mounts, MNT + "btrfs-default");
        assertThat(def.source()).isEqualTo("/dev/loop2[/@/.snapshots/1/snapshot]");
        assertThat(def.sourceRoot()).isEqualTo("/@/.snapshots/1/snapshot");
        assertThat(def.option("subvolid")).isEqualTo("260");

        // the top level has no brackets, but still subvol=/
        Mount top = at(mounts, MNT + "btrfs-top");
        assertThat(top.source()).isEqualTo("/dev/loop2");
        assertThat(top.device()).isEqualTo("/dev/loop2");
        assertThat(top.sourceRoot()).isNull();
        assertThat(top.options()).containsExactly("rw", "relatime", "discard=async", "space_cache=v2", "subvolid=5", "subvol=/");
    }

    @Test
    void targetsWithSpacesAndXfsStripeOptionsAreReadAsPrinted() {
        List<Mount> mounts = FindmntParser.parse(TREE);
        assertThat(at(mounts, MNT + "dos logical").device()).isEqualTo("/dev/loop1p5");
        Mount xfs = at(mounts, MNT + "whole-xfs");
        assertThat(xfs.option("sunit")).isEqualTo("128"); // 512-byte units: 64 KiB
        assertThat(xfs.option("swidth")).isEqualTo("512");
        assertThat(xfs.hasFlag("noquota")).isTrue();
    }

    @Test
    void theListFormCarriesFsrootAndAgreesWithTheTree() {
        List<Mount> list = FindmntParser.parse(LIST);
        List<Mount> tree = FindmntParser.parse(TREE);
        assertThat(list).extracting(Mount::target).containsExactlyElementsOf(tree.stream().map(Mount::target).toList());
        assertThat(list).extracting(Mount::parentTarget).containsOnlyNulls();
        assertThat(at(list, MNT + "btrfs-home").fsroot()).isEqualTo("/@home");
        assertThat(at(list, MNT + "btrfs-default").fsroot()).isEqualTo("/@/.snapshots/1/snapshot");
        assertThat(at(list, MNT + "gpt-root").fsroot()).isEqualTo("/");
        for (Mount m : list) {
            Mount same = at(tree, m.target());
            assertThat(m.source()).isEqualTo(same.source());
            assertThat(m.options()).isEqualTo(same.options());
        }
    }

    @Test
    void optionsAreSplitAtCommasOutsideQuotes() {
        assertThat(FindmntParser.splitOptions("rw,context=\"system_u:object_r:tmp_t:s0:c127,c456\",noexec"))
                .containsExactly("rw", "context=\"system_u:object_r:tmp_t:s0:c127,c456\"", "noexec");
    }

    @Test
    void keysOfANewerFindmntAreIgnored() {
        assertThat(FindmntParser.parse(Fixtures.withUnknownKeys(TREE))).isEqualTo(FindmntParser.parse(TREE));
        assertThat(FindmntParser.parse(Fixtures.withUnknownKeys(LIST))).isEqualTo(FindmntParser.parse(LIST));
    }

    @ParameterizedTest
    @ValueSource(strings = {"target", "source", "fstype", "options"})
    void aMountWithoutARequiredKeyIsAnError(String key) {
        String broken = Fixtures.editAt(TREE, "/filesystems/0/children/5", o -> o.remove(key));
        assertThatThrownBy(() -> FindmntParser.parse(broken))
                .isInstanceOfSatisfying(ToolOutputException.class, e -> assertThat(e.command()).isEqualTo("findmnt -J -b --real"))
                .hasMessageContaining("filesystems[0].children[5]")
                .hasMessageContaining("\"" + key + "\" is missing");
    }

    @Test
    void truncatedJsonIsAnError() {
        assertThatThrownBy(() -> FindmntParser.parse(Fixtures.truncated(TREE, 0.7)))
                .isInstanceOf(ToolOutputException.class).hasMessageContaining("ends early");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "",
        "TARGET SOURCE FSTYPE OPTIONS\n/ /dev/vda ext4 rw\n",
        "{\"mounts\": []}",
        "{\"filesystems\": [{\"target\": \"/\", \"source\": \"/dev/sda1\", \"fstype\": \"ext4\", \"options\": [\"rw\"]}]}",
        "{\"filesystems\": [{\"target\": \"/\", \"source\": \"/dev/sda1\", \"fstype\": \"ext4\", \"options\": \"rw\", \"children\": 7}]}"
    })
    void outputThatIsNotTheMountTableIsAnError(String garbage) {
        assertThatThrownBy(() -> FindmntParser.parse(garbage)).isInstanceOf(ToolOutputException.class);
    }
}
