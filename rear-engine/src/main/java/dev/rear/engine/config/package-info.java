/**
 * rear's configuration in ReaR's syntax: {@code /etc/rear/site.conf}, {@code local.conf} and the
 * files given with {@code -C}, read into an immutable {@link dev.rear.engine.config.RearConfig}
 * with ReaR's variable names and defaults.
 *
 * <p>ReaR sources these files as bash. rear does not run them: it reads the assignments bash would
 * make ({@code KEY=value}, {@code KEY="..."}, {@code KEY='...'}, {@code KEY=( ... )},
 * {@code KEY+=...}, {@code $VAR} and {@code "${ARRAY[@]}"} expansion, comments, continuation
 * lines, {@code export}, ReaR's confidential {@code { KEY='secret' ; } 2>>/dev/$SECRET_OUTPUT_DEV})
 * and refuses everything else — commands, conditionals, command substitution, functions,
 * {@code source} — with a {@link dev.rear.engine.config.ConfigException} naming the file and line.
 * Nothing in a configuration file is silently ignored: a variable rear does not use is a
 * {@link dev.rear.engine.config.ConfigWarning}.
 */
@NullMarked
package dev.rear.engine.config;

import org.jspecify.annotations.NullMarked;
