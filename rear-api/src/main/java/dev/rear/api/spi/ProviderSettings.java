package dev.rear.api.spi;

import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The configuration a provider works with: rear's configuration variables with their ReaR names
 * ({@code BACKUP_URL}, {@code BACKUP_PROG_EXCLUDE}, {@code TSM_DSMC_RESTORE_OPTIONS},
 * {@code GALAXY11_USER}, ...), each a string or, for ReaR arrays ({@code X=( a b )}), a list of
 * strings. Some are marked secret; {@link #toString()} and {@link #redacted()} mask them, so a
 * settings object can be logged.
 *
 * <p>Immutable. Variables that are set to the empty string are present with the value {@code ""}
 * (ReaR treats them as unset; so do {@link #get} and {@link #list}).
 *
 * <p><b>Experimental</b> (since 0.1).
 *
 * @since 0.1
 */
public final class ProviderSettings {

    /** What {@link #redacted()} and {@link #toString()} show instead of a secret value. */
    public static final String MASK = "***";

    private static final ProviderSettings EMPTY = new ProviderSettings(Map.of(), Set.of());

    private final Map<String, List<String>> values;
    private final Set<String> secrets;

    private ProviderSettings(Map<String, List<String>> values, Set<String> secrets) {
        this.values = Collections.unmodifiableMap(new TreeMap<>(values));
        this.secrets = Collections.unmodifiableSet(new TreeSet<>(secrets));
    }

    /** No settings at all. */
    public static ProviderSettings empty() {
        return EMPTY;
    }

    /** A builder for settings. */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * Settings from a map of names to values, none secret.
     *
     * @param values each value a {@code String} or a {@code List<String>}
     * @throws IllegalArgumentException for another value type
     */
    public static ProviderSettings of(Map<String, ?> values) {
        Builder b = builder();
        values.forEach(b::setObject);
        return b.build();
    }

    /**
     * The single value of a variable.
     *
     * @param name the variable
     * @return the value; empty when unset or set to {@code ""} (or to an empty array)
     * @throws ProviderException of kind {@link ProviderException.Kind#MISCONFIGURED} when it is an
     *     array of more than one value
     */
    public Optional<String> get(String name) {
        List<String> v = values.get(name);
        if (v == null || v.isEmpty() || (v.size() == 1 && v.get(0).isEmpty())) {
            return Optional.empty();
        }
        if (v.size() > 1) {
            throw new ProviderException(ProviderException.Kind.MISCONFIGURED,
                    name + " is an array of " + v.size() + " values where one value is expected");
        }
        return Optional.of(v.get(0));
    }

    /**
     * The single value of a variable that must be set.
     *
     * @throws ProviderException of kind {@link ProviderException.Kind#MISCONFIGURED} when it is
     *     unset, empty or an array of several values
     */
    public String require(String name) {
        return get(name).orElseThrow(() -> new ProviderException(ProviderException.Kind.MISCONFIGURED, name + " is not set"));
    }

    /**
     * The values of an array variable; a plain variable is a list of its one value.
     *
     * @return the values, without empty strings; empty when unset
     */
    public List<String> list(String name) {
        List<String> v = values.getOrDefault(name, List.of());
        return v.stream().filter(s -> !s.isEmpty()).toList();
    }

    /**
     * A yes/no variable, read as ReaR's {@code is_true}/{@code is_false} do: {@code 1 y yes true on}
     * and {@code 0 n no false off}, any case.
     *
     * @param name       the variable
     * @param whenUnset  the answer when it is unset or empty
     * @throws ProviderException of kind {@link ProviderException.Kind#MISCONFIGURED} for any other value
     */
    public boolean flag(String name, boolean whenUnset) {
        Optional<String> v = get(name);
        if (v.isEmpty()) {
            return whenUnset;
        }
        String s = v.get().strip().toLowerCase(java.util.Locale.ROOT);
        switch (s) {
            case "1", "y", "yes", "true", "on":
                return true;
            case "0", "n", "no", "false", "off":
                return false;
            default:
                throw new ProviderException(ProviderException.Kind.MISCONFIGURED, name + "="
                        + (isSecret(name) ? MASK : v.get()) + " is neither true (yes, y, 1, on) nor false (no, n, 0, off)");
        }
    }

    /** Whether the variable is present at all (even if empty). */
    public boolean contains(String name) {
        return values.containsKey(name);
    }

    /** Whether the variable's value is a secret. */
    public boolean isSecret(String name) {
        return secrets.contains(name);
    }

    /** The names of all variables present, sorted. */
    public Set<String> names() {
        return values.keySet();
    }

    /** The names marked secret (whether or not present), sorted. */
    public Set<String> secretNames() {
        return secrets;
    }

    /**
     * The non-empty values of the secret variables present: what must never appear in a log, a
     * message, an argv element not marked secret, or the rescue system. For leak checks.
     */
    public Set<String> secretValues() {
        Set<String> out = new TreeSet<>();
        for (String name : secrets) {
            out.addAll(list(name));
        }
        return Collections.unmodifiableSet(out);
    }

    /** All variables with their values, secrets shown as {@link #MASK}: the form for logs and {@code rear dump}. */
    public Map<String, List<String>> redacted() {
        Map<String, List<String>> out = new LinkedHashMap<>();
        values.forEach((k, v) -> out.put(k, secrets.contains(k) ? v.stream().map(x -> MASK).toList() : v));
        return Collections.unmodifiableMap(out);
    }

    /** These settings with a variable set (replacing it), keeping its secret mark. */
    public ProviderSettings with(String name, String... value) {
        Map<String, List<String>> v = new TreeMap<>(values);
        v.put(Builder.checkName(name), List.of(value));
        return new ProviderSettings(v, secrets);
    }

    /** These settings without a variable. */
    public ProviderSettings without(String name) {
        Map<String, List<String>> v = new TreeMap<>(values);
        v.remove(name);
        return new ProviderSettings(v, secrets);
    }

    /** These settings with more variables marked secret. */
    public ProviderSettings withSecrets(Collection<String> names) {
        Set<String> s = new TreeSet<>(secrets);
        names.forEach(n -> s.add(Builder.checkName(n)));
        return new ProviderSettings(values, s);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ProviderSettings s && values.equals(s.values) && secrets.equals(s.secrets);
    }

    @Override
    public int hashCode() {
        return Objects.hash(values, secrets);
    }

    /** {@code {BACKUP_URL=[file:///backup], GALAXY11_PASSWORD=[***]}}: safe to log. */
    @Override
    public String toString() {
        return redacted().toString();
    }

    /** Builds {@link ProviderSettings}. */
    public static final class Builder {
        private final Map<String, List<String>> values = new TreeMap<>();
        private final Set<String> secrets = new TreeSet<>();

        private Builder() {}

        static String checkName(String name) {
            if (!name.matches("[A-Za-z_][A-Za-z0-9_]*")) {
                throw new IllegalArgumentException("'" + name + "' is not a configuration variable name");
            }
            return name;
        }

        /** Sets a plain variable. */
        public Builder set(String name, String value) {
            values.put(checkName(name), List.of(value));
            return this;
        }

        /** Sets an array variable. */
        public Builder set(String name, List<String> value) {
            values.put(checkName(name), List.copyOf(value));
            return this;
        }

        /** Sets a plain variable whose value is a secret. */
        public Builder secret(String name, String value) {
            set(name, value);
            secrets.add(name);
            return this;
        }

        /** Marks variables secret, whether or not they are set. */
        public Builder markSecret(Collection<String> names) {
            names.forEach(n -> secrets.add(checkName(n)));
            return this;
        }

        private void setObject(String name, Object value) {
            if (value instanceof String s) {
                set(name, s);
            } else if (value instanceof List<?> l) {
                List<String> strings = new ArrayList<>();
                for (Object o : l) {
                    if (!(o instanceof String s)) {
                        throw new IllegalArgumentException(name + ": array values must be strings, not " + o);
                    }
                    strings.add(s);
                }
                set(name, strings);
            } else {
                throw new IllegalArgumentException(name + ": a value must be a String or a List<String>, not " + value);
            }
        }

        /** The settings. */
        public ProviderSettings build() {
            return new ProviderSettings(values, secrets);
        }
    }
}
