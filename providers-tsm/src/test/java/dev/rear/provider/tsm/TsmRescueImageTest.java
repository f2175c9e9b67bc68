package dev.rear.provider.tsm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.rear.api.spi.Capability;
import dev.rear.api.spi.Diagnostic;
import dev.rear.api.spi.ProviderException;
import dev.rear.api.spi.ProviderSettings;
import dev.rear.api.spi.RescueImageRequest;
import dev.rear.api.spi.RescueImageResult;
import dev.rear.testkit.FakeProviderContext;
import dev.rear.testkit.MutableClock;
import dev.rear.testkit.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Storing the rescue image in TSM after {@code mkrescue} wrote it, as ReaR's {@code output/TSM}
 * stage does, against the dsmc simulator: copied into {@code TSM_RESULT_FILE_PATH}, stored with
 * {@code dsmc incremental} or {@code dsmc archive -archmc=}, return codes 4/8 as warnings and 12 as a
 * failure that leaves the image where the output wrote it, and {@code TSM_RM_ISOFILE} removing the
 * local ISO only once TSM lists it.
 */
class TsmRescueImageTest {

    @TempDir
    Path dir;

    DsmcSimulator sim;
    ProcessRunner runner;
    MutableClock clock;
    Path outputDir;
    Path iso;
    Path resultPath;
    int contexts;

    @BeforeEach
    void rescueImageWritten() throws IOException {
        sim = DsmcSimulator.in(dir.resolve("sim")).storePassword(DsmcSimulator.PASSWORD);
        clock = new MutableClock(Instant.parse("2030-03-01T02:00:00Z"));
        runner = new ProcessRunner(() -> DsmcSimulator.environment(clock.instant()));
        outputDir = Files.createDirectories(dir.resolve("var/lib/rear/output"));
        iso = Files.write(outputDir.resolve("rear-db01.iso"), new byte[] {'C', 'D', '0', '0', '1', 0, 1, 2, 3});
        resultPath = dir.resolve("opt/tivoli/tsm/rear");
    }

    private RescueImageRequest request() {
        return new RescueImageRequest(List.of(iso), outputDir);
    }

    private FakeProviderContext context(ProviderSettings settings) {
        return FakeProviderContext.builder(dir.resolve("tmp-" + (++contexts))).settings(settings).commands(runner).clock(clock).build();
    }

    private ProviderSettings settings(String... pairs) {
        ProviderSettings s = sim.settings().with(TsmSettings.RESULT_FILE_PATH, resultPath.toString());
        for (int i = 0; i < pairs.length; i += 2) {
            s = s.with(pairs[i], pairs[i + 1]);
        }
        return s;
    }

    private List<String> displayed() {
        return runner.displayed().stream().map(c -> c.replaceAll(" -errorlogname=\\S+", "")).toList();
    }

    private String index(String kind) throws IOException {
        Path p = sim.server.resolve("objects/" + kind + "/index");
        return Files.exists(p) ? Files.readString(p) : "";
    }

    @Test
    void theImageIsCopiedAndStoredWithDsmcIncrementalAndKeptLocally() throws IOException {
        TsmBackupProvider p = new TsmBackupProvider();
        assertThat(p.capabilities()).contains(Capability.STORE_RESCUE_IMAGE);
        assertThat(p.storesRescueImage(settings())).as("TSM_RESULT_SAVE defaults to yes, as in ReaR").isTrue();

        RescueImageResult r = p.storeRescueImage(request(), context(settings()));

        Path copy = resultPath.resolve("rear-db01.iso");
        assertThat(copy).hasSameBinaryContentAs(iso);
        assertThat(iso).as("TSM_RM_ISOFILE is not set").exists();
        assertThat(displayed()).containsExactly(sim.clientDir.resolve("dsmc") + " query session",
                sim.clientDir.resolve("dsmc") + " incremental " + copy);
        assertThat(index("backup")).as("the server holds the copy").contains("\t9\tDEFAULT\t" + copy);
        assertThat(sim.server.resolve("objects/backup/data" + copy)).hasSameBinaryContentAs(iso);
        assertThat(r.stored()).containsExactly("TSM server tsmsrv1 (tsm-server.example:1500): " + copy + " (dsmc incremental)");
        assertThat(r.removed()).isEmpty();
        assertThat(r.warnings()).isEmpty();
        assertThat(r.facts()).containsEntry("command", "incremental").containsEntry("dsmcExitCode", "0")
                .containsEntry("resultFilePath", resultPath.toString()).doesNotContainKey("managementClass");
    }

    @Test
    void aManagementClassArchivesAndRmIsofileRemovesTheIsoOnceTsmListsIt() throws IOException {
        FakeProviderContext ctx = context(settings(TsmSettings.ARCHIVE_MGMT_CLASS, "REAR_ISO", TsmSettings.RM_ISOFILE, "yes"));
        RescueImageResult r = new TsmBackupProvider().storeRescueImage(request(), ctx);

        Path copy = resultPath.resolve("rear-db01.iso");
        String dsmc = sim.clientDir.resolve("dsmc").toString();
        assertThat(displayed()).containsExactly(dsmc + " query session", dsmc + " archive -archmc=REAR_ISO " + copy,
                dsmc + " query archive " + copy);
        assertThat(index("archive")).contains("\tREAR_ISO\t" + copy);
        assertThat(index("backup")).isEmpty();
        assertThat(iso).as("TSM lists the archived copy: the local ISO goes").doesNotExist();
        assertThat(copy).doesNotExist();
        assertThat(r.removed()).containsExactly(iso, copy);
        assertThat(r.stored()).containsExactly("TSM server tsmsrv1 (tsm-server.example:1500): " + copy
                + " (dsmc archive, management class REAR_ISO)");
        assertThat(r.facts()).containsEntry("command", "archive").containsEntry("managementClass", "REAR_ISO");
    }

    @Test
    void rmIsofileWithIncrementalChecksTheBackupVersion() throws IOException {
        RescueImageResult r = new TsmBackupProvider().storeRescueImage(request(), context(settings(TsmSettings.RM_ISOFILE, "yes")));
        Path copy = resultPath.resolve("rear-db01.iso");
        assertThat(displayed()).last().isEqualTo(sim.clientDir.resolve("dsmc") + " query backup " + copy);
        assertThat(iso).doesNotExist();
        assertThat(r.removed()).containsExactly(iso, copy);
    }

    @Test
    void rmIsofileKeepsTheIsoWhenTsmDoesNotListItWithRcZero() throws IOException {
        sim.fault("query-backup", "FAULT_RC=8", "FAULT_MESSAGES=( 'ANS1092W No files matching search criteria were found' )");
        RescueImageResult r = new TsmBackupProvider().storeRescueImage(request(), context(settings(TsmSettings.RM_ISOFILE, "yes")));
        assertThat(iso).exists();
        assertThat(resultPath.resolve("rear-db01.iso")).exists();
        assertThat(r.removed()).isEmpty();
        assertThat(r.warnings()).extracting(Diagnostic::message).singleElement().asString()
                .contains("does not list " + resultPath.resolve("rear-db01.iso"), "rc 8", "ANS1092W", "the local ISO " + iso + " is kept");
    }

    @Test
    void rcFourIsAWarningWithTheMessages() throws IOException {
        sim.fault("incremental", "FAULT_RC=4", "FAULT_MESSAGES=( 'ANS4037E Object changed during processing. Object skipped.' )");
        RescueImageResult r = new TsmBackupProvider().storeRescueImage(request(), context(settings()));
        assertThat(r.warnings()).extracting(Diagnostic::message).containsExactly("storing the rescue image on TSM server tsmsrv1"
                + " (tsm-server.example:1500) finished with rc 4 (ANS4037E Object changed during processing. Object skipped.)");
        assertThat(r.facts()).containsEntry("dsmcExitCode", "4");
        assertThat(iso).exists();
    }

    @Test
    void rcTwelveFailsAndSaysWhereTheImageStays() throws IOException {
        sim.fault("archive", "FAULT_RC=12", "FAULT_MESSAGES=( 'ANS1105E The management class for this file does not have a valid archive copy group.' )");
        ProviderException e = catchThrowableOfType(() -> new TsmBackupProvider().storeRescueImage(request(),
                context(settings(TsmSettings.ARCHIVE_MGMT_CLASS, "NOSUCH", TsmSettings.RM_ISOFILE, "yes"))), ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.FAILED);
        assertThat(e.getMessage()).contains("the rescue image could not be stored on TSM server tsmsrv1", "archive -archmc=NOSUCH",
                "rc 12", "ANS1105E", "the rescue image stays in " + outputDir + " (" + iso + ")");
        assertThat(iso).as("nothing is removed after a failure").exists();
        assertThat(index("archive")).isEmpty();
    }

    @Test
    void anUnreachableServerLeavesTheImage() throws IOException {
        sim.down();
        ProviderException e = catchThrowableOfType(() -> new TsmBackupProvider().storeRescueImage(request(), context(settings())),
                ProviderException.class);
        assertThat(e.kind()).isEqualTo(ProviderException.Kind.UNREACHABLE);
        assertThat(e.getMessage()).contains("ANS1017E");
        assertThat(iso).exists();
    }

    @Test
    void resultSaveNoMeansNotStoredAndAnEmptyPathUsesTheTemporaryDirectory() throws IOException {
        assertThat(new TsmBackupProvider().storesRescueImage(settings(TsmSettings.RESULT_SAVE, "no"))).isFalse();
        assertThat(TsmSettings.validate(settings(TsmSettings.RESULT_SAVE, "no", TsmSettings.RM_ISOFILE, "yes")))
                .extracting(Diagnostic::message).contains("TSM_RM_ISOFILE has no effect: TSM_RESULT_SAVE says the rescue image is not stored in TSM");

        FakeProviderContext ctx = context(sim.settings().with(TsmSettings.RESULT_FILE_PATH, ""));
        RescueImageResult r = new TsmBackupProvider().storeRescueImage(request(), ctx);
        assertThat(r.facts().get("resultFilePath")).startsWith(ctx.tempDirectory().toString());
        assertThat(index("backup")).contains(ctx.tempDirectory().toString());
    }
}
