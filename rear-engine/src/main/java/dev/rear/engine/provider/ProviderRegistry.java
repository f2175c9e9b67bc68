package dev.rear.engine.provider;

import dev.rear.api.spi.ApiVersion;
import dev.rear.api.spi.BackupProvider;
import dev.rear.api.spi.Capability;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.security.CodeSource;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The backup providers on the class path, found with {@link ServiceLoader}.
 *
 * <p>Loading never fails as a whole: a provider whose class is missing, whose constructor throws,
 * or whose {@code id()}/{@code apiVersion()}/{@code capabilities()} throws is kept as a
 * {@link Status#FAILED} entry with its class name and the reason; one built for an SPI version this
 * rear cannot run, with a malformed id or with capabilities that contradict the SPI is
 * {@link Status#REFUSED}; two or more claiming one id are all {@link Status#DUPLICATE}. Each
 * provider found is logged at debug with its id, version and jar.
 *
 * <p>{@link #select(String)} takes an explicit id and nothing else: an unknown, duplicated or
 * refused id is an error naming the ids that are available. There is no default provider and no
 * fallback — a backup silently going elsewhere, or nowhere, is data loss.
 */
public final class ProviderRegistry {

    private static final Logger LOG = LoggerFactory.getLogger(ProviderRegistry.class);

    /** What a provider id looks like ({@link BackupProvider#id()}). */
    static final Pattern ID = Pattern.compile("[a-z][a-z0-9-]*");

    /** Consecutive loading errors after which the registry stops asking ServiceLoader (a guard against an endless error loop). */
    static final int MAX_CONSECUTIVE_ERRORS = 100;

    private static final Pattern PROVIDER_CLASS = Pattern.compile("Provider (\\S+)|(\\S+) not a subtype");

    /** How a provider found on the class path fared. */
    public enum Status {
        /** Loaded and usable. */
        LOADED,
        /** Could not be loaded, instantiated or asked for its id, version or capabilities. */
        FAILED,
        /** Loaded but not accepted: another SPI version, a malformed id, contradictory capabilities. */
        REFUSED,
        /** Loaded, but another provider claims the same id; neither can be selected. */
        DUPLICATE
    }

    /**
     * One provider found on the class path.
     *
     * @param status       how it fared
     * @param className    its class, or {@code "(unknown)"} when not even that could be found out
     * @param location     the jar or directory it came from, or {@code null} when not known
     * @param id           its id, or {@code null} when it failed before saying
     * @param version      its version, or {@code null} when it failed before saying
     * @param apiVersion   the SPI version it was built against, or {@code null} when not known
     * @param capabilities what it declares (empty when not known)
     * @param reason       why it is not {@link Status#LOADED}, or {@code null} when it is
     * @param provider     the instance, for {@link Status#LOADED} (and duplicates); otherwise {@code null}
     */
    public record Entry(Status status, String className, @Nullable String location, @Nullable String id,
                        @Nullable String version, @Nullable String apiVersion, Set<Capability> capabilities,
                        @Nullable String reason, @Nullable BackupProvider provider) {

        public Entry {
            Objects.requireNonNull(status, "status");
            Objects.requireNonNull(className, "className");
            capabilities = capabilities.isEmpty() ? Set.of() : Collections.unmodifiableSet(EnumSet.copyOf(capabilities));
        }

        /** Whether this provider can be selected. */
        public boolean usable() {
            return status == Status.LOADED;
        }

        Entry as(Status s, String why) {
            return new Entry(s, className, location, id, version, apiVersion, capabilities, why, provider);
        }

        String where() {
            return className + (location == null ? "" : " (" + location + ")");
        }
    }

    private final List<Entry> entries;

    private ProviderRegistry(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    /** The providers visible to the thread's context class loader (or, without one, to rear's own). */
    public static ProviderRegistry load() {
        ClassLoader cl = Thread.currentThread().getContextClassLoader();
        return load(cl != null ? cl : ProviderRegistry.class.getClassLoader());
    }

    /** The providers visible to {@code loader}. */
    public static ProviderRegistry load(ClassLoader loader) {
        List<Entry> found = new ArrayList<>();
        Iterator<ServiceLoader.Provider<BackupProvider>> it = ServiceLoader.load(BackupProvider.class, loader).stream().iterator();
        int consecutiveErrors = 0;
        while (true) {
            ServiceLoader.Provider<BackupProvider> p;
            try {
                if (!it.hasNext()) {
                    break;
                }
                p = it.next();
                consecutiveErrors = 0;
            } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
                found.add(new Entry(Status.FAILED, classNameIn(e), null, null, null, null, Set.of(),
                        "could not be loaded: " + describe(e), null));
                LOG.debug("a backup provider could not be loaded", e);
                if (++consecutiveErrors >= MAX_CONSECUTIVE_ERRORS) {
                    found.add(new Entry(Status.FAILED, "(unknown)", null, null, null, null, Set.of(),
                            "stopped looking for more providers after " + MAX_CONSECUTIVE_ERRORS + " errors in a row", null));
                    break;
                }
                continue;
            }
            found.add(inspect(p));
        }
        ProviderRegistry registry = new ProviderRegistry(markDuplicates(found));
        for (Entry e : registry.entries) {
            LOG.debug("backup provider {} {} (SPI {}, {}) from {}: {}{}", e.id() == null ? "?" : e.id(),
                    e.version() == null ? "?" : e.version(), e.apiVersion() == null ? "?" : e.apiVersion(),
                    e.className(), e.location() == null ? "?" : e.location(), e.status(), e.reason() == null ? "" : ", " + e.reason());
        }
        return registry;
    }

    private static Entry inspect(ServiceLoader.Provider<BackupProvider> p) {
        Class<? extends BackupProvider> type = p.type();
        String cn = type.getName();
        String location = locationOf(type);
        BackupProvider provider;
        try {
            provider = p.get();
        } catch (ServiceConfigurationError | RuntimeException | LinkageError e) {
            LOG.debug("backup provider {} could not be instantiated", cn, e);
            return new Entry(Status.FAILED, cn, location, null, null, null, Set.of(), "could not be instantiated: " + describe(e), null);
        }
        String step = "apiVersion()";
        try {
            String api = provider.apiVersion();
            String apiRefusal = apiRefusal(api);
            if (apiRefusal != null) {
                // Built for another SPI: its other methods may not even link, so only its id is asked, and only for the report.
                return new Entry(Status.REFUSED, cn, location, idIfItSays(provider), null, api, Set.of(), apiRefusal, null);
            }
            step = "id()";
            String id = provider.id();
            step = "version()";
            String version = provider.version();
            step = "capabilities()";
            Set<Capability> declared = provider.capabilities();
            Set<Capability> caps = EnumSet.noneOf(Capability.class);
            for (Capability c : declared) {
                caps.add(Objects.requireNonNull(c, "capabilities() contains null"));
            }
            String refusal = refusal(id, caps);
            return refusal == null ? new Entry(Status.LOADED, cn, location, id, version, api, caps, null, provider)
                    : new Entry(Status.REFUSED, cn, location, id, version, api, caps, refusal, null);
        } catch (RuntimeException | LinkageError e) {
            LOG.debug("backup provider {}: {} failed", cn, step, e);
            return new Entry(Status.FAILED, cn, location, null, null, null, Set.of(), step + " threw " + describe(e), null);
        }
    }

    private static @Nullable String idIfItSays(BackupProvider provider) {
        try {
            return provider.id();
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    private static @Nullable String apiRefusal(@Nullable String api) {
        if (api == null) {
            return "apiVersion() returned nothing";
        }
        ApiVersion requested;
        try {
            requested = ApiVersion.parse(api);
        } catch (IllegalArgumentException e) {
            return "its SPI version '" + api + "' is not of the form major.minor";
        }
        if (!ApiVersion.CURRENT.canRun(requested)) {
            return "it was built for provider SPI " + requested + ", and this rear provides SPI " + ApiVersion.CURRENT
                    + "; use a version of the provider built for SPI " + ApiVersion.CURRENT;
        }
        return null;
    }

    private static @Nullable String refusal(@Nullable String id, Set<Capability> caps) {
        if (id == null || !ID.matcher(id).matches()) {
            return "its id '" + id + "' is not a lower-case name ([a-z][a-z0-9-]*)";
        }
        List<String> contradictions = new ArrayList<>();
        if (!caps.contains(Capability.RESTORE)) {
            contradictions.add("it does not declare restore");
        }
        for (Capability c : List.of(Capability.INCREMENTAL, Capability.DIFFERENTIAL)) {
            if (caps.contains(c) && !caps.contains(Capability.BACKUP)) {
                contradictions.add(c.displayName() + " without backup");
            }
        }
        return contradictions.isEmpty() ? null : "its capabilities contradict the SPI: " + String.join(", ", contradictions);
    }

    private static List<Entry> markDuplicates(List<Entry> found) {
        Map<String, List<Entry>> byId = found.stream().filter(Entry::usable)
                .collect(Collectors.groupingBy(e -> Objects.requireNonNull(e.id()), LinkedHashMap::new, Collectors.toList()));
        List<Entry> out = new ArrayList<>();
        for (Entry e : found) {
            List<Entry> same = e.usable() ? byId.get(e.id()) : List.of(e);
            if (same.size() > 1) {
                String others = same.stream().filter(o -> o != e).map(Entry::where).collect(Collectors.joining(", "));
                out.add(e.as(Status.DUPLICATE, "id '" + e.id() + "' is also claimed by " + others
                        + "; neither can be selected until all but one are removed from the class path"));
            } else {
                out.add(e);
            }
        }
        out.sort(Comparator.comparing((Entry e) -> e.id() == null ? "\uffff" : e.id()).thenComparing(Entry::className));
        return out;
    }

    /** Every provider found, sorted by id (those without one last), then class name. */
    public List<Entry> entries() {
        return entries;
    }

    /** The ids that can be selected, sorted. */
    public List<String> ids() {
        return entries.stream().filter(Entry::usable).map(Entry::id).map(Objects::requireNonNull).sorted().toList();
    }

    /** The providers that failed, were refused or are duplicates. */
    public List<Entry> problems() {
        return entries.stream().filter(e -> !e.usable()).toList();
    }

    /**
     * The provider with this id.
     *
     * @param id the id, exactly ({@link BackupMethods#providerId} maps ReaR's {@code BACKUP} values)
     * @return the provider
     * @throws ProviderSelectionException when no loaded provider has the id, several claim it, or
     *     the one that has it was refused; the message lists the ids available
     */
    public BackupProvider select(String id) {
        List<Entry> withId = entries.stream().filter(e -> id.equals(e.id())).toList();
        List<Entry> usable = withId.stream().filter(Entry::usable).toList();
        if (usable.size() == 1 && withId.stream().noneMatch(e -> e.status() == Status.DUPLICATE)) {
            return Objects.requireNonNull(usable.get(0).provider());
        }
        String available = ids().isEmpty() ? "no backup provider is installed" : "available: " + String.join(", ", ids());
        List<Entry> duplicates = withId.stream().filter(e -> e.status() == Status.DUPLICATE).toList();
        if (!duplicates.isEmpty()) {
            throw new ProviderSelectionException(id, ids(), "backup provider id '" + id + "' is claimed by " + duplicates.size()
                    + " providers: " + duplicates.stream().map(Entry::where).collect(Collectors.joining(", "))
                    + "; remove all but one from the class path (" + available + ")");
        }
        if (!withId.isEmpty()) {
            Entry refused = withId.get(0);
            throw new ProviderSelectionException(id, ids(), "backup provider '" + id + "' (" + refused.where() + ") was refused: "
                    + refused.reason() + " (" + available + ")");
        }
        long nameless = entries.stream().filter(e -> e.id() == null).count();
        throw new ProviderSelectionException(id, ids(), "no backup provider '" + id + "' was found; " + available
                + (nameless == 0 ? "" : "; " + nameless + " more could not be loaded (see 'rear providers')"));
    }

    /** A throwable as one phrase: its innermost useful cause, {@code ClassName: message}. */
    static String describe(Throwable t) {
        Throwable cause = t;
        while (cause instanceof ServiceConfigurationError && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ServiceConfigurationError) {
            String m = Objects.toString(cause.getMessage(), "");
            return m.startsWith(BackupProvider.class.getName() + ": ") ? m.substring(BackupProvider.class.getName().length() + 2) : m;
        }
        String m = cause.getMessage();
        return cause.getClass().getSimpleName() + (m == null || m.isBlank() ? "" : ": " + m);
    }

    /** The provider class named in a ServiceLoader error ({@code "...: Provider com.x.Y not found"}, {@code "...: com.x.Y not a subtype"}). */
    static String classNameIn(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            Matcher m = PROVIDER_CLASS.matcher(Objects.toString(c.getMessage(), ""));
            if (m.find()) {
                return m.group(1) != null ? m.group(1) : m.group(2);
            }
        }
        return "(unknown)";
    }

    private static @Nullable String locationOf(Class<?> type) {
        try {
            CodeSource cs = type.getProtectionDomain().getCodeSource();
            URL url = cs == null ? null : cs.getLocation();
            if (url == null) {
                return null;
            }
            try {
                return Path.of(url.toURI()).toString();
            } catch (URISyntaxException | IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                return url.toString();
            }
        } catch (SecurityException e) {
            return null;
        }
    }
}
