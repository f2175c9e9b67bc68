package dev.rear.engine.cli;

import picocli.CommandLine.Command;

/**
 * {@code rear mkbackup}: {@link MkRescueCommand mkrescue}, then the backup through the configured
 * provider ({@link BackupWork}, as {@code mkbackuponly} makes it), all in one journal with one verdict.
 */
@Command(name = "mkbackup",
        description = {"Make the rescue system (as mkrescue: save the layout, build, write OUTPUT)",
            "and then back this system up through the configured backup provider (as",
            "mkbackuponly), in one journal with one verdict. -s lists the steps with the",
            "settings in effect (provider, BACKUP_URL, OUTPUT, kernel) and touches nothing."},
        exitCodeListHeading = "%nExit codes:%n",
        exitCodeList = {"  0:made and backed up (or, with -s, listed)", "  2:usage error",
            "  4:something the build needs is missing (the package is named), or another rear runs",
            "  5:the backup failed (the journal says why)", "  7:the output could not be written",
            "  8:the configuration or the provider's settings are invalid", "130:interrupted (Ctrl-C)"})
final class MkBackupCommand extends MkRescueCommand {

    @Override
    String workflow() {
        return "mkbackup";
    }

    @Override
    boolean withBackup() {
        return true;
    }
}
