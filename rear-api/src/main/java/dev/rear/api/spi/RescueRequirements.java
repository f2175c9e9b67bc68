package dev.rear.api.spi;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/**
 * What the rescue system must contain for a provider to restore there — ReaR's
 * {@code PROGS_<METHOD>}, {@code REQUIRED_PROGS_<METHOD>}, {@code COPY_AS_IS_<METHOD>},
 * {@code COPY_AS_IS_EXCLUDE_<METHOD>}, {@code <METHOD>_LD_LIBRARY_PATH}, {@code CLONE_USERS},
 * {@code CLONE_GROUPS} and the daemons its verify stage starts — and what it must <em>not</em>
 * contain.
 *
 * <p><b>Secrets.</b> An item marked secret (a password file, a session file, a password variable)
 * is declared so the rescue builder can leave it out — also out of a directory copied as a whole —
 * and list it in its report as "left out: secret", and so the recovery knows to ask for it. It is
 * never copied and its value is never written. A provider whose administrator explicitly opted in
 * to carrying a password file (e.g. {@code TSM.KDB}) lists it as a plain file instead.
 *
 * <p>All paths are absolute paths on the live system, copied to the same path in the rescue
 * system. Programs are names looked up on {@code PATH} or absolute paths; the builder adds their
 * shared-library closure, searching {@link #libraryDirectories()} too.
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @param programs           programs that must be present (their absence fails {@code mkrescue})
 * @param files              files to copy, or (secret) to leave out
 * @param directories        directory trees to copy, or (secret) to leave out
 * @param excludes           globs of paths not to copy from those directories (logs, caches, job results)
 * @param libraryDirectories directories to search for the programs' libraries and to put on
 *                           {@code LD_LIBRARY_PATH} in the rescue system
 * @param kernelModules      kernel modules to include and load (e.g. {@code nfs}, {@code cifs})
 * @param environment        variables to set in the rescue system; secret ones carry no value
 * @param users              users to copy from the live system's {@code passwd} (with their groups)
 * @param groups             groups to copy from the live system's {@code group}
 * @param services           daemons the engine starts in the rescue system before {@code verify}
 *                           and {@code restore}, and stops afterwards
 * @since 0.1
 */
public record RescueRequirements(List<String> programs, List<RescuePath> files, List<RescuePath> directories,
                                 List<String> excludes, List<String> libraryDirectories, List<String> kernelModules,
                                 List<RescueVariable> environment, List<String> users, List<String> groups,
                                 List<RescueService> services) {

    private static final RescueRequirements NONE = builder().build();

    public RescueRequirements {
        programs = nonBlank("programs", programs);
        files = List.copyOf(files);
        directories = List.copyOf(directories);
        excludes = nonBlank("excludes", excludes);
        libraryDirectories = Paths.absolute("library directories", libraryDirectories);
        kernelModules = nonBlank("kernel modules", kernelModules);
        environment = List.copyOf(environment);
        users = nonBlank("users", users);
        groups = nonBlank("groups", groups);
        services = List.copyOf(services);
    }

    private static List<String> nonBlank(String what, List<String> values) {
        List<String> copy = List.copyOf(values);
        if (copy.stream().anyMatch(String::isBlank)) {
            throw new IllegalArgumentException(what + " cannot contain blank entries");
        }
        return copy;
    }

    /** Nothing needed. */
    public static RescueRequirements none() {
        return NONE;
    }

    /** A builder. */
    public static Builder builder() {
        return new Builder();
    }

    /** Every item marked secret: files, directories and variables, by path or name. */
    public List<String> secretItems() {
        return Stream.concat(Stream.concat(files.stream(), directories.stream()).filter(RescuePath::secret).map(RescuePath::path),
                environment.stream().filter(RescueVariable::secret).map(RescueVariable::name)).toList();
    }

    /**
     * A file or directory on the live system.
     *
     * @param path   absolute path
     * @param secret whether it holds a secret: then it is left out of the rescue system, not copied
     * @param note   why it is needed or, for a secret, how the recovery does without it
     *               (e.g. "the node password is asked at recovery"), or {@code null}
     */
    public record RescuePath(String path, boolean secret, @Nullable String note) {
        public RescuePath {
            Paths.absolute("rescue paths", List.of(path));
        }
    }

    /**
     * An environment variable for the rescue system.
     *
     * @param name   the variable's name
     * @param value  its value; {@code null} exactly when secret (a secret value is never carried:
     *               the recovery takes it from the environment or asks)
     * @param secret whether its value is a secret
     */
    public record RescueVariable(String name, @Nullable String value, boolean secret) {
        public RescueVariable {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("'" + name + "' is not an environment variable name");
            }
            if (secret != (value == null)) {
                throw new IllegalArgumentException(secret ? "secret variable " + name + " must carry no value"
                        : "variable " + name + " needs a value (or is it a secret?)");
            }
        }
    }

    /**
     * A daemon that must run in the rescue system while the restore happens (Bacula's
     * {@code bacula-fd}, Commvault's services).
     *
     * @param name             a short name for messages and the journal
     * @param start            the argv that starts it (it may daemonize)
     * @param readinessCheck   an argv that exits 0 once it is ready, polled until it does or
     *                         {@code readinessTimeout} passes; empty for no check
     * @param stop             the argv that stops it after the restore; empty to leave it running
     * @param readinessTimeout how long to wait for readiness
     */
    public record RescueService(String name, List<String> start, List<String> readinessCheck, List<String> stop,
                                Duration readinessTimeout) {
        public RescueService {
            Objects.requireNonNull(name, "name");
            start = List.copyOf(start);
            if (start.isEmpty()) {
                throw new IllegalArgumentException("service " + name + " needs a start command");
            }
            readinessCheck = List.copyOf(readinessCheck);
            stop = List.copyOf(stop);
            if (readinessTimeout.isNegative()) {
                throw new IllegalArgumentException("readiness timeout cannot be negative");
            }
        }
    }

    /** Builds {@link RescueRequirements}. */
    public static final class Builder {
        private final List<String> programs = new ArrayList<>();
        private final List<RescuePath> files = new ArrayList<>();
        private final List<RescuePath> directories = new ArrayList<>();
        private final List<String> excludes = new ArrayList<>();
        private final List<String> libraryDirectories = new ArrayList<>();
        private final List<String> kernelModules = new ArrayList<>();
        private final List<RescueVariable> environment = new ArrayList<>();
        private final List<String> users = new ArrayList<>();
        private final List<String> groups = new ArrayList<>();
        private final List<RescueService> services = new ArrayList<>();

        private Builder() {}

        public Builder program(String... names) {
            programs.addAll(List.of(names));
            return this;
        }

        public Builder file(String path) {
            files.add(new RescuePath(path, false, null));
            return this;
        }

        /** A file holding a secret: left out, listed in the rescue report with {@code note}. */
        public Builder secretFile(String path, String note) {
            files.add(new RescuePath(path, true, note));
            return this;
        }

        public Builder directory(String path) {
            directories.add(new RescuePath(path, false, null));
            return this;
        }

        /** A directory holding secrets: left out as a whole. */
        public Builder secretDirectory(String path, String note) {
            directories.add(new RescuePath(path, true, note));
            return this;
        }

        public Builder exclude(String glob) {
            excludes.add(glob);
            return this;
        }

        public Builder libraryDirectory(String path) {
            libraryDirectories.add(path);
            return this;
        }

        public Builder kernelModule(String name) {
            kernelModules.add(name);
            return this;
        }

        public Builder variable(String name, String value) {
            environment.add(new RescueVariable(name, value, false));
            return this;
        }

        /** A variable whose value is secret: not carried; the recovery takes it from its environment or asks. */
        public Builder secretVariable(String name) {
            environment.add(new RescueVariable(name, null, true));
            return this;
        }

        public Builder user(String name) {
            users.add(name);
            return this;
        }

        public Builder group(String name) {
            groups.add(name);
            return this;
        }

        public Builder service(RescueService service) {
            services.add(service);
            return this;
        }

        public RescueRequirements build() {
            return new RescueRequirements(programs, files, directories, excludes, libraryDirectories, kernelModules,
                    environment, users, groups, services);
        }
    }
}
