package dev.rear.api.spi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TargetRootsTest {

    @TempDir
    Path root;

    @Test
    void mountPointsAndLostAndFoundCountAsEmpty() throws IOException {
        Files.createDirectories(root.resolve("lost+found"));
        Files.createDirectories(root.resolve("boot/efi"));
        Files.createDirectories(root.resolve("home/lost+found"));
        assertThat(TargetRoots.firstNonDirectory(root)).isEmpty();
        assertThatCode(() -> TargetRoots.requireRestorable(root, OverwritePolicy.REFUSE)).doesNotThrowAnyException();
    }

    @Test
    void aFileDeepDownMakesItNonEmpty() throws IOException {
        Files.createDirectories(root.resolve("var/lib"));
        Files.writeString(root.resolve("var/lib/x"), "x");
        assertThat(TargetRoots.firstNonDirectory(root)).contains(root.resolve("var/lib/x"));
        assertThatThrownBy(() -> TargetRoots.requireRestorable(root, OverwritePolicy.REFUSE))
                .isInstanceOfSatisfying(ProviderException.class, e -> assertThat(e.kind()).isEqualTo(ProviderException.Kind.REFUSED))
                .hasMessageContaining("is not empty (it holds " + root.resolve("var/lib/x") + "); nothing was restored");
        assertThatCode(() -> TargetRoots.requireRestorable(root, OverwritePolicy.OVERWRITE)).doesNotThrowAnyException();
    }

    @Test
    void aSymbolicLinkIsNotADirectoryEvenToADirectory() throws IOException {
        Files.createDirectories(root.resolve("real"));
        Files.createSymbolicLink(root.resolve("link"), root.resolve("real"));
        assertThat(TargetRoots.firstNonDirectory(root)).contains(root.resolve("link"));
        assertThatThrownBy(() -> TargetRoots.requireRestorable(root.resolve("link"), OverwritePolicy.OVERWRITE))
                .hasMessageContaining("is a symbolic link");
    }

    @Test
    void aMissingRootIsRefusedEvenWithOverwrite() {
        assertThatThrownBy(() -> TargetRoots.requireRestorable(root.resolve("nope"), OverwritePolicy.OVERWRITE))
                .hasMessageContaining("does not exist");
    }
}
