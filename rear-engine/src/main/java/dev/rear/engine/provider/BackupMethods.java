package dev.rear.engine.provider;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * ReaR's {@code BACKUP} values and the provider ids that serve them. rear keeps ReaR's variable so
 * its users' configurations read the same; the id is then selected explicitly
 * ({@link ProviderRegistry#select}), never guessed.
 *
 * <table>
 *   <caption>The mapping</caption>
 *   <tr><th>{@code BACKUP=}</th><th>provider id</th></tr>
 *   <tr><td>{@code NETFS}</td><td>{@code tar}</td></tr>
 *   <tr><td>{@code TSM}</td><td>{@code tsm}</td></tr>
 *   <tr><td>{@code GALAXY11}</td><td>{@code galaxy}</td></tr>
 *   <tr><td>{@code BACULA}</td><td>{@code bacula}</td></tr>
 *   <tr><td>{@code GALAXY}, {@code GALAXY7}, {@code GALAXY10}</td><td>refused: end of life (deprecated in ReaR too)</td></tr>
 *   <tr><td>anything else</td><td>the value in lower case, e.g. {@code BAREOS → bareos} for a third-party provider</td></tr>
 * </table>
 */
public final class BackupMethods {
    private BackupMethods() {}

    private static final Map<String, String> IDS = Map.of("NETFS", "tar", "TSM", "tsm", "GALAXY11", "galaxy", "BACULA", "bacula");

    private static final List<String> END_OF_LIFE = List.of("GALAXY", "GALAXY7", "GALAXY10");

    /**
     * The provider id for a {@code BACKUP} value.
     *
     * @param backup the value of {@code BACKUP}
     * @return the provider id
     * @throws ProviderSelectionException for an empty value or an end-of-life Galaxy variant
     */
    public static String providerId(String backup) {
        String value = backup.strip();
        if (value.isEmpty()) {
            throw new ProviderSelectionException("", List.of(), "BACKUP is empty; set it to the backup method, e.g. BACKUP=NETFS");
        }
        String upper = value.toUpperCase(Locale.ROOT);
        if (END_OF_LIFE.contains(upper)) {
            throw new ProviderSelectionException(upper, List.of(), "BACKUP=" + value
                    + " is a Commvault version past its end of life (deprecated in ReaR too); rear supports Commvault 11: BACKUP=GALAXY11");
        }
        return IDS.getOrDefault(upper, value.toLowerCase(Locale.ROOT));
    }
}
