package dev.rear.engine.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.rear.api.event.StepSucceeded;
import dev.rear.engine.discovery.Discovery;
import dev.rear.engine.discovery.DiscoveryOptions;
import dev.rear.engine.journal.JournalReader;
import dev.rear.engine.provider.ProviderRegistry;
import dev.rear.engine.provider.ServiceProvider;
import dev.rear.engine.provider.SlowProvider;
import dev.rear.engine.provider.TestProviders;
import dev.rear.engine.workflow.RunLock;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The run discipline: one writing workflow at a time (the lock, between two runs of this JVM and
 * against another process), read-only workflows and simulations beside it, the verdict line, and the
 * provider's daemons started around a restore and stopped after it.
 */
class RunDisciplineTest {

    @TempDir
    Path tmp;

    Path conf;
    Path store;
    Path src;
    Path lockDir;

    record Run(int code, String out, String err) {}

    @BeforeEach
    void setUp() throws Exception {
        conf = Files.createDirectories(tmp.resolve("etc-rear"));
        store = Files.createDirectories(tmp.resolve("backup"));
        Files.writeString(conf.resolve("local.conf"), "BACKUP=NETFS\nBACKUP_URL=file://" + store + "\n");
        src = Files.createDirectories(tmp.resolve("src"));
        Files.writeString(src.resolve("motd"), "hello\n");
        lockDir = tmp.resolve("run-rear");
    }

    Services services(Class<?> provider) {
        ProviderRegistry registry = ProviderRegistry.load(TestProviders.offering(tmp, provider));
        return new Services() {
            @Override
            public Discovery discovery(DiscoveryOptions options) {
                throw new AssertionError("these tests discover nothing");
            }

            @Override
            public ProviderRegistry providers() {
                return registry;
            }

            @Override
            public Path lockDirectory() {
                return lockDir;
            }
        };
    }

    Run rear(Services s, String... args) {
        List<String> all = new ArrayList<>(List.of("-c", conf.toString()));
        all.addAll(List.of(args));
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Rear.run(new PrintWriter(out), new PrintWriter(err), s, all.toArray(String[]::new));
        return new Run(code, out.toString(), err.toString());
    }

    String[] backup(String journal) {
        return new String[] {"mkbackuponly", "--source-root", src.toString(), "--journal", tmp.resolve(journal).toString()};
    }

    @Test
    void aSecondWritingRunIsRefusedNamingTheFirstWhileReadOnlyOnesGoOn() throws Exception {
        Services s = services(SlowProvider.class);
        CompletableFuture<Run> first = CompletableFuture.supplyAsync(() -> rear(s, backup("first.jsonl")));
        Path lock = lockDir.resolve(RunLock.FILE);
        long until = System.nanoTime() + 10_000_000_000L;
        while (!(Files.exists(lock) && Files.readString(lock).startsWith("mkbackuponly ")) && System.nanoTime() < until) {
            Thread.sleep(20);
        }
        assertThat(Files.readString(lock)).startsWith("mkbackuponly " + ProcessHandle.current().pid() + " ");

        Run second = rear(s, backup("second.jsonl"));
        assertThat(second.code()).isEqualTo(4);
        assertThat(second.err()).contains("rear is already running: 'mkbackuponly' (PID " + ProcessHandle.current().pid() + ", since ",
                "holds " + lock, "rear mkbackuponly: not started (exit 4)");
        assertThat(tmp.resolve("second.jsonl")).doesNotExist();
        Run sim = rear(s, "-s", "mkbackuponly", "--source-root", src.toString());
        assertThat(sim.code()).as("a simulation touches nothing and needs no lock: " + sim.err()).isZero();
        Run readOnly = rear(s, "providers");
        assertThat(readOnly.err()).doesNotContain("already running");

        Files.writeString(store.resolve("GO"), "");
        Run done = first.get(30, TimeUnit.SECONDS);
        assertThat(done.code()).as(done.out() + done.err()).isZero();
        assertThat(Files.readString(lock)).as("released").isEmpty();
        MkRescueCommand.deleteTree(store.resolve("tree")); // the fake provider copies into an empty tree only
        Run third = rear(s, backup("third.jsonl"));
        assertThat(third.code()).as(third.err()).isZero();
    }

    @Test
    void aLockHeldByAnotherProcessIsNamedAndGoesWithIt() throws Exception {
        assumeTrue(new ProcessBuilder("python3", "--version").start().waitFor() == 0, "needs python3 to hold a POSIX lock in another process");
        Files.createDirectories(lockDir);
        Path lock = lockDir.resolve(RunLock.FILE);
        Process holder = new ProcessBuilder("python3", "-c", String.join("\n",
                "import fcntl, os, sys, time",
                "f = open(sys.argv[1], 'w')",
                "fcntl.lockf(f, fcntl.LOCK_EX | fcntl.LOCK_NB)",
                "f.write('mkbackup %d 2026-11-26T19:00:00Z\\n' % os.getpid()); f.flush()",
                "print('locked', flush=True)",
                "time.sleep(60)"), lock.toString()).redirectErrorStream(true).start();
        try {
            String line = new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8)).readLine();
            assertThat(line).isEqualTo("locked");
            Services s = services(SlowProvider.class);
            Files.writeString(store.resolve("GO"), "");
            Run r = rear(s, backup("b.jsonl"));
            assertThat(r.code()).isEqualTo(4);
            assertThat(r.err()).contains("rear is already running: 'mkbackup' (PID " + holder.pid() + ", since 2026-11-26T19:00:00Z) holds " + lock);
            holder.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            Run after = rear(s, backup("c.jsonl"));
            assertThat(after.code()).as("the kernel released the lock with its process: " + after.err()).isZero();
        } finally {
            holder.destroyForcibly();
        }
    }

    @Test
    void theProvidersDaemonRunsDuringTheRestoreAndIsStoppedAfterIt() throws Exception {
        Services s = services(ServiceProvider.class);
        assertThat(rear(s, backup("b.jsonl")).code()).isZero();
        Files.writeString(store.resolve("fd-start.sh"), "sleep 60 </dev/null >/dev/null 2>&1 &\necho $! > " + store.resolve("fd.pid")
                + "\ntouch " + store.resolve("fd-ready") + "\n");
        Files.writeString(store.resolve("fd-stop.sh"), "kill $(cat " + store.resolve("fd.pid") + ")\nrm -f " + store.resolve("fd-ready") + "\n");
        Path root = Files.createDirectories(tmp.resolve("mnt-local"));
        Run r = rear(s, "restoreonly", "--target-root", root.toString(), "--journal", tmp.resolve("r.jsonl").toString());
        assertThat(r.code()).as(r.out() + r.err()).isZero();
        assertThat(root.resolve("motd")).hasContent("hello");
        assertThat(r.err()).contains("rear: tar: service fake-fd started (`sh " + store.resolve("fd-start.sh") + "`), ready after ",
                "rear: tar: service fake-fd stopped (`sh " + store.resolve("fd-stop.sh") + "`)");
        long pid = Long.parseLong(Files.readString(store.resolve("fd.pid")).strip());
        ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(10, TimeUnit.SECONDS).join());
        assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).as("the daemon was stopped").isFalse();
        assertThat(store.resolve("fd-ready")).doesNotExist();
        Map<String, String> facts = JournalReader.read(tmp.resolve("r.jsonl")).events().stream().filter(StepSucceeded.class::isInstance)
                .map(StepSucceeded.class::cast).findFirst().orElseThrow().facts();
        assertThat(facts.get("service.fake-fd")).startsWith("started (`sh " + store.resolve("fd-start.sh") + "`), ready after ");
    }

    @Test
    void aDaemonThatCannotStartStopsTheRestoreBeforeItBegins() throws Exception {
        Services s = services(ServiceProvider.class);
        assertThat(rear(s, backup("b.jsonl")).code()).isZero();
        Files.writeString(store.resolve("fd-start.sh"), "echo 'bind: port 9102 is in use' >&2\nexit 3\n");
        Files.writeString(store.resolve("fd-stop.sh"), "true\n");
        Path root = Files.createDirectories(tmp.resolve("mnt-local"));
        Run r = rear(s, "restoreonly", "--target-root", root.toString(), "--journal", tmp.resolve("r.jsonl").toString());
        assertThat(r.code()).isEqualTo(5);
        assertThat(r.err()).contains("the backup provider's service fake-fd could not be started: `sh " + store.resolve("fd-start.sh")
                + "` exited 3:\nbind: port 9102 is in use", "rear restoreonly: FAILED (exit 5: backup provider failure)");
        assertThat(tmp.resolve("r.jsonl")).doesNotExist();
        assertThat(Files.list(root)).isEmpty();
    }

    @Test
    void simulationsOfRestoreAndVerifyReadNothingAndStartNoDaemon() throws Exception {
        Services s = services(ServiceProvider.class);
        Path root = Files.createDirectories(tmp.resolve("mnt-local"));
        Run restore = rear(s, "-s", "restoreonly", "--target-root", root.toString(), "--journal", tmp.resolve("r.jsonl").toString());
        assertThat(restore.code()).as(restore.err()).isZero();
        assertThat(restore.out()).isEqualTo("restoreonly (simulation): backup provider 'tar' (BACKUP=NETFS) would restore the latest restore"
                + " point into " + root + "; nothing was touched\n");
        Run verify = rear(s, "verify", "-s", "--restore-point", "rp-1");
        assertThat(verify.code()).as(verify.err()).isZero();
        assertThat(verify.out()).contains("verify (simulation): backup provider 'tar' (BACKUP=NETFS) would read restore point rp-1 back");
        assertThat(store.resolve("calls")).as("the provider was not asked to do anything").doesNotExist();
        assertThat(tmp.resolve("r.jsonl")).doesNotExist();
        assertThat(lockDir.resolve(RunLock.FILE)).as("a simulation takes no lock").doesNotExist();
    }
}
