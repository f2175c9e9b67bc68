package dev.rear.engine.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Loading /etc/rear as ReaR does: order, overrides, defaults, typed values, warnings, masking. */
class RearConfigTest {

    private static final RearConfig.Host HOST = new RearConfig.Host("pluto", "6.1.0-28-amd64");

    @TempDir
    Path dir;

    private Path etc;

    @BeforeEach
    void configDir() throws IOException {
        etc = Files.createDirectory(dir.resolve("rear"));
    }

    private Path write(String name, String text) throws IOException {
        Path p = etc.resolve(name);
        Files.createDirectories(p.getParent());
        Files.writeString(p, text);
        return p;
    }

    private RearConfig load(String... extra) {
        return RearConfig.load(etc, List.of(extra), null, HOST);
    }

    private ConfigException refused(String... extra) {
        try {
            load(extra);
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    // ---------------------------------------------------------------- defaults

    @Test
    void embeddedDefaultWithoutAnyConfiguration() {
        RearConfig c = load();
        assertThat(c.files()).isEmpty();
        assertThat(c.backup()).isEqualTo(BackupMethod.NETFS);
        assertThat(c.backupUrl()).isEqualTo("file:///var/lib/rear/backup");
        assertThat(c.output()).isEqualTo(OutputMethod.ISO);
        assertThat(c.outputUrl()).isEqualTo("null");
        assertThat(c.isoDir()).isEqualTo(Path.of("/var/lib/rear/output"));
        assertThat(c.isoPrefix()).isEqualTo("rear-pluto");
        assertThat(c.warnings()).singleElement().hasToString("rear defaults: no BACKUP_URL is configured: rear backs up to file:///var/lib/rear/backup"
                + " on this machine's own disk, which is no disaster recovery; set BACKUP_URL in /etc/rear/local.conf to a place off this machine (nfs://, cifs://, usb://, ...)");
    }

    @Test
    void reaRsDefaults() {
        RearConfig c = load();
        assertThat(c.backupOptions()).isEmpty();
        assertThat(c.backupProgInclude()).isEmpty();
        assertThat(c.backupProgExclude()).containsExactly("/tmp/*", "/dev/shm/*", "/var/lib/rear/output/*");
        assertThat(c.backupOnlyInclude()).isFalse();
        assertThat(c.backupProgCompressOptions()).containsExactly("--gzip");
        assertThat(c.backupType()).isEqualTo(BackupType.FULL);
        assertThat(c.backupProgCryptEnabled()).isFalse();
        assertThat(c.backupProgCryptKey()).isEmpty();
        assertThat(c.kernelFile()).isEmpty();
        assertThat(c.kernelVersion()).isEqualTo("6.1.0-28-amd64");
        assertThat(c.modules()).containsExactly("all_modules");
        assertThat(c.firmwareFiles()).isEmpty();
        assertThat(c.copyAsIs()).containsExactly("/usr/share/rear", "/var/lib/rear");
        assertThat(c.copyAsIsExclude()).containsExactly("/var/lib/rear/output/*", "dev/.udev", "dev/shm", "dev/shm/*", "dev/oracleasm",
                "dev/mapper", "dev/watchdog*", "dev/vx", "dev/dmpconfig");
        assertThat(c.requiredProgs()).hasSize(42).startsWith("awk", "bash", "bc").endsWith("umount", "uniq", "wc");
        assertThat(c.progs()).isEmpty();
        assertThat(c.excludeComponents()).isEmpty();
        assertThat(c.autoexcludeDisks()).isTrue();
        assertThat(c.autoexcludeUsbPath()).isEmpty();
        assertThat(c.onlyIncludeVg()).isEmpty();
        assertThat(c.excludeVg()).isEmpty();
        assertThat(c.excludeMd()).isEmpty();
        assertThat(c.excludeMountpoints()).isEmpty();
        assertThat(c.userInput()).isEmpty();
        assertThat(c.sshRootPassword()).isEmpty();
        assertThat(c.value("USER_INPUT_TIMEOUT")).contains(ConfigValue.ofString("300"));
        assertThat(c.value("VAR_DIR")).as("rear's own variables are not settings").isEmpty();
        assertThat(c.withPrefix("TSM_")).containsEntry("TSM_RESULT_SAVE", ConfigValue.ofString("y"))
                .containsEntry("TSM_RESULT_FILE_PATH", ConfigValue.ofString("/opt/tivoli/tsm/rear"))
                .containsEntry("TSM_DSMC_RESTORE_OPTIONS", ConfigValue.ofArray(List.of()));
        assertThat(c.withPrefix("GALAXY11_")).containsEntry("GALAXY11_CONFIG_DIRECTORY", ConfigValue.ofString("/etc/CommVaultRegistry"));
        assertThat(c.withPrefix("BEXTRACT_")).containsOnlyKeys("BEXTRACT_VOLUME", "BEXTRACT_DEVICE");
        assertThat(c.value("PROGS_BACULA").orElseThrow().elements()).contains("bconsole", "bextract");
    }

    @Test
    void everyTypedSettingHasADefaultInDefaultsConf() {
        List<String> names = List.of("BACKUP", "BACKUP_URL", "BACKUP_OPTIONS", "BACKUP_PROG_INCLUDE", "BACKUP_PROG_EXCLUDE", "BACKUP_ONLY_INCLUDE",
                "BACKUP_PROG_COMPRESS_OPTIONS", "BACKUP_TYPE", "BACKUP_PROG_CRYPT_ENABLED", "BACKUP_PROG_CRYPT_KEY", "OUTPUT", "OUTPUT_URL",
                "KERNEL_FILE", "KERNEL_VERSION", "MODULES", "FIRMWARE_FILES", "COPY_AS_IS", "COPY_AS_IS_EXCLUDE", "REQUIRED_PROGS", "PROGS",
                "EXCLUDE_COMPONENTS", "AUTOEXCLUDE_DISKS", "AUTOEXCLUDE_USB_PATH", "ONLY_INCLUDE_VG", "EXCLUDE_VG", "EXCLUDE_MD",
                "EXCLUDE_MOUNTPOINTS", "SSH_ROOT_PASSWORD", "ISO_DIR", "ISO_PREFIX");
        RearConfig c = load();
        for (String n : names) {
            assertThat(c.value(n)).as(n).isPresent();
            assertThat(ConfigLoader.isKnown(n)).as(n).isTrue();
        }
    }

    @Test
    void aMissingConfigDirectoryOtherThanEtcRear() throws IOException {
        // /etc/rear itself cannot be removed in a test; any other missing -c DIR is an error
        ConfigException e = catchConfig(() -> RearConfig.load(dir.resolve("nope"), List.of(), null, HOST));
        assertThat(e).hasMessage(dir.resolve("nope") + ": the configuration directory does not exist");
        Path file = Files.writeString(dir.resolve("file"), "");
        ConfigException f = catchConfig(() -> RearConfig.load(file, List.of(), null, HOST));
        assertThat(f).hasMessageEndingWith("file: the configuration directory is not a directory");
    }

    // ---------------------------------------------------------------- files and order

    @Test
    void localConfOverridesSiteConfAndDashCFilesComeLast() throws IOException {
        Path site = write("site.conf", """
                # written by the packaging
                OUTPUT=ISO
                BACKUP=NETFS
                BACKUP_URL=nfs://nas1/rear
                COPY_AS_IS+=( /etc/site )
                """);
        Path local = write("local.conf", """
                OUTPUT=PXE
                COPY_AS_IS+=( /etc/local )
                BACKUP_PROG_EXCLUDE=( "${BACKUP_PROG_EXCLUDE[@]}" '/var/cache/*' )
                """);
        Path extra = write("usb.conf", """
                OUTPUT=USB
                BACKUP_URL=usb:///dev/disk/by-label/REAR-000
                COPY_AS_IS+=( /etc/extra )
                """);
        Path absolute = Files.writeString(dir.resolve("last.conf"), "EXCLUDE_VG=( vgdata )\n");
        RearConfig c = load("usb", absolute.toString());
        assertThat(c.files()).containsExactly(site, local, extra, absolute);
        assertThat(c.output()).isEqualTo(OutputMethod.USB);
        assertThat(c.backupUrl()).isEqualTo("usb:///dev/disk/by-label/REAR-000");
        assertThat(c.outputUrl()).as("OUTPUT_URL inherits BACKUP_URL").isEqualTo("usb:///dev/disk/by-label/REAR-000");
        assertThat(c.copyAsIs()).containsExactly("/usr/share/rear", "/var/lib/rear", "/etc/site", "/etc/local", "/etc/extra");
        assertThat(c.backupProgExclude()).containsExactly("/tmp/*", "/dev/shm/*", "/var/lib/rear/output/*", "/var/cache/*");
        assertThat(c.excludeVg()).containsExactly("vgdata");
        assertThat(c.warnings()).isEmpty();
        assertThat(c.dump()).contains("COPY_AS_IS=( \"/usr/share/rear\" \"/var/lib/rear\" \"/etc/site\" \"/etc/local\" \"/etc/extra\" )  # default, "
                + site + ":5, " + local + ":2, " + extra + ":3\n");
        assertThat(c.dump()).contains("OUTPUT=\"USB\"  # " + extra + ":1\n");
    }

    @Test
    void dashCFilesAsReaRFindsThem() throws IOException {
        Path withSuffix = write("tsm.conf", "BACKUP=TSM\n");
        Path exact = write("sub/exact", "OUTPUT=RAMDISK\n");
        Path both = write("both", "PROGS=( a )\n");
        write("both.conf", "PROGS=( b )\n");
        RearConfig c = load("tsm", "sub/exact", "both", etc.resolve("tsm").toString());
        assertThat(c.files()).containsExactly(withSuffix, exact, both, withSuffix);
        assertThat(c.progs()).as("the file as named wins over FILE.conf").containsExactly("a");

        ConfigException e = refused("missing");
        assertThat(e).hasMessage(etc.resolve("missing") + ": there is '-C missing' but neither " + etc.resolve("missing") + " nor "
                + etc.resolve("missing.conf") + " exists");
    }

    @Test
    void workflowFileComesBeforeSiteConf() throws IOException {
        Path wf = write("mkbackup.conf", "OUTPUT=PXE\nPROGS=( wf )\n");
        Path local = write("local.conf", "PROGS+=( local )\n");
        RearConfig c = RearConfig.load(etc, List.of(), "mkbackup", HOST);
        assertThat(c.files()).containsExactly(wf, local);
        assertThat(c.output()).isEqualTo(OutputMethod.PXE);
        assertThat(c.progs()).containsExactly("wf", "local");
        assertThat(RearConfig.load(etc, List.of(), "recover", HOST).output()).isEqualTo(OutputMethod.ISO);
    }

    @Test
    void filesRearDoesNotReadAreWarnedAbout() throws IOException {
        write("os.conf", "OS_VENDOR=Debian\n");
        write("rescue.conf", "RECOVERY_MODE=y\n");
        write("local.conf", "BACKUP_URL=nfs://nas/rear\n");
        assertThat(load().warnings()).extracting(ConfigWarning::toString).containsExactly(
                etc.resolve("os.conf") + ": rear does not read os.conf: it finds the operating system itself",
                etc.resolve("rescue.conf") + ": rear does not read rescue.conf, which ReaR writes into its own rescue system");
    }

    @Test
    void carriageReturnsInLocalConf() throws IOException {
        Path local = write("local.conf", "OUTPUT=ISO\r\nBACKUP=NETFS\r\n");
        assertThat(refused()).hasMessage(local + ":1: carriage return character (perhaps DOS or Mac format), which ReaR refuses too: convert the file with dos2unix");
    }

    @Test
    void notUtf8() throws IOException {
        Path local = etc.resolve("local.conf");
        Files.write(local, "OUTPUT=ISO\n# Sicherung f\u00fcr alle\n".getBytes(StandardCharsets.ISO_8859_1));
        assertThat(refused()).hasMessage(local + ":2: this line is not UTF-8 text: save the file as UTF-8");
    }

    @Test
    void refusalsInLaterFilesNameThatFile() throws IOException {
        write("site.conf", "OUTPUT=ISO\n");
        Path local = write("local.conf", "OUTPUT=ISO\nif true ; then OUTPUT=PXE ; fi\n");
        assertThat(refused()).hasMessage(local + ":2: conditionals ('if') are not supported: rear's configuration holds assignments only; write the value itself");
    }

    // ---------------------------------------------------------------- unknown variables

    @Test
    void unknownVariablesAreWarnedAboutOnceWithTheirFirstLine() throws IOException {
        Path site = write("site.conf", "MY_SERVER=nas1\nNETFS_KEEP_OLD_BACKUP_COPY=yes\n");
        Path local = write("local.conf", """
                BACKUP_URL=nfs://$MY_SERVER/rear
                MY_SERVER=nas2
                BACKUP_UR=nfs://typo/rear
                NETFS_KEEP_OLD_BACKUP_COPY=no
                TSM_ANYTHING=fine
                USER_INPUT_LAYOUT_MIGRATION_CONFIRM_MAPPINGS=1
                COPY_AS_IS_TSM+=( /opt/extra )
                """);
        RearConfig c = load();
        assertThat(c.warnings()).extracting(ConfigWarning::toString).containsExactly(
                site + ":1: MY_SERVER is not a setting of rear or ReaR: it has no effect",
                site + ":2: NETFS_KEEP_OLD_BACKUP_COPY is a ReaR setting that rear does not support: it has no effect",
                local + ":3: BACKUP_UR is not a setting of rear or ReaR: it has no effect (did you mean BACKUP_URL?)");
        assertThat(c.backupUrl()).isEqualTo("nfs://nas1/rear");
        assertThat(c.dump()).contains("MY_SERVER=\"nas2\"  # " + local + ":2 (not used by rear)\n");
        assertThat(c.userInput()).containsExactly(Map.entry("LAYOUT_MIGRATION_CONFIRM_MAPPINGS", "1"));
        assertThat(c.withPrefix("TSM_")).containsEntry("TSM_ANYTHING", ConfigValue.ofString("fine"));
        assertThat(c.value("COPY_AS_IS_TSM").orElseThrow().elements()).containsExactly("/etc/adsm", "/opt/tivoli/tsm/client", "/usr/local/ibm/gsk8*", "/opt/extra");
    }

    // ---------------------------------------------------------------- invalid values

    @ParameterizedTest
    @ValueSource(strings = {
        "OUTPUT=FLOPPY|OUTPUT=FLOPPY is not an output method: rear supports ISO, PXE, USB, RAMDISK",
        "OUTPUT=RAWDISK|OUTPUT=RAWDISK is an output method of ReaR that rear does not support: rear supports ISO, PXE, USB, RAMDISK",
        "BACKUP=BORG|BACKUP=BORG is a backup method of ReaR that rear does not support: rear supports NETFS, TSM, GALAXY11, BACULA",
        "BACKUP=REQUESTRESTORE|BACKUP=REQUESTRESTORE is a backup method of ReaR that rear does not support: rear supports NETFS, TSM, GALAXY11, BACULA",
        "BACKUP=netfs|BACKUP=netfs: write NETFS in capitals, as ReaR needs it too",
        "BACKUP=( NETFS TSM )|BACKUP takes one value, not an array of 2: write BACKUP=\"...\"",
        "BACKUP_TYPE=weekly|BACKUP_TYPE=weekly is not a backup type: write incremental, differential, or full (or nothing) for a full backup",
        "BACKUP_PROG_CRYPT_ENABLED=maybe|BACKUP_PROG_CRYPT_ENABLED=maybe is neither true nor false: write y, yes, true or 1, or n, no, false or 0 (as ReaR's is_true and is_false read them)",
        "AUTOEXCLUDE_DISKS=enabled|AUTOEXCLUDE_DISKS=enabled is neither true nor false",
        "USER_INPUT_TIMEOUT=5m|USER_INPUT_TIMEOUT=5m is not a number of seconds or characters: write a whole number, 0 or more",
        "BACKUP_URL=/srv/backup|BACKUP_URL=/srv/backup is not a URL: write scheme://host/path, e.g. BACKUP_URL=file:///srv/backup",
        "OUTPUT_URL=server:/export|OUTPUT_URL=server:/export is not a URL: write scheme://host/path, e.g. nfs://server/export or file:///path",
        "ISO_DIR=output|ISO_DIR=output is not an absolute path: write a path starting with /",
    })
    void invalidValuesNameTheLineAndTheAllowedValues(String example) throws IOException {
        String[] parts = example.split("\\|", 2);
        Path local = write("local.conf", "# local\nBACKUP_URL=nfs://nas/rear\n" + parts[0] + "\n");
        ConfigException e = refused();
        assertThat(e.getMessage()).startsWith(local + ":3: " + parts[1]);
        assertThat(e.line()).isEqualTo(3);
    }

    @Test
    void theLineOfTheLastAssignmentIsNamed() throws IOException {
        write("site.conf", "BACKUP_TYPE=incremental\n");
        Path local = write("local.conf", "BACKUP_URL=nfs://nas/rear\n\nBACKUP_TYPE=weekly\n");
        assertThat(refused()).hasMessageStartingWith(local + ":3: BACKUP_TYPE=weekly");
    }

    @Test
    void netfsWithoutBackupUrl() throws IOException {
        Path local = write("local.conf", "OUTPUT=ISO\nBACKUP=NETFS\n");
        assertThat(refused()).hasMessage(local + ":2: BACKUP=NETFS needs a BACKUP_URL, the place the backup goes to (nfs://, cifs://, usb://, file://, ...)");
        Path local2 = write("local.conf", "BACKUP_URL=\n");
        assertThat(refused()).hasMessageStartingWith(local2 + ":1: BACKUP=NETFS needs a BACKUP_URL");
    }

    @Test
    void urlPasswordsStayOutOfMessages() throws IOException {
        write("local.conf", "BACKUP_URL=user:secret@nas/share\nOUTPUT_URL=cifs:/u:pw@x\n");
        assertThat(refused().getMessage()).doesNotContain("secret");
    }

    // ---------------------------------------------------------------- typed values

    @Test
    void valuesAsReaRUsersWriteThem() throws IOException {
        write("local.conf", """
                OUTPUT=ISO
                BACKUP=NETFS
                BACKUP_OPTIONS="nfsvers=3,nolock"
                BACKUP_URL=nfs://your.NFS.server.IP/path/to/your/rear/backup
                REQUIRED_PROGS+=( snapper chattr )
                PROGS+=( lsattr )
                COPY_AS_IS+=( /usr/lib/snapper/installation-helper /etc/snapper/config-templates/default )
                BACKUP_PROG_INCLUDE=( /var/cache /var/lib/mailman /var/tmp /home /var/log )
                BACKUP_ONLY_INCLUDE=Yes
                BACKUP_TYPE=incremental
                BACKUP_PROG_COMPRESS_OPTIONS=( --zstd )
                BACKUP_PROG_CRYPT_ENABLED=1
                { BACKUP_PROG_CRYPT_KEY='my secret passphrase' ; } 2>>/dev/$SECRET_OUTPUT_DEV
                MODULES=( loaded_modules )
                FIRMWARE_FILES=( '*e1000*' '*iwlwifi*' )
                EXCLUDE_MOUNTPOINTS=( /data )
                EXCLUDE_MD=( /dev/md127 )
                ONLY_INCLUDE_VG=( vgroot )
                EXCLUDE_COMPONENTS=( fs:/scratch )
                AUTOEXCLUDE_DISKS=n
                AUTOEXCLUDE_USB_PATH+=( /media/usb )
                KERNEL_FILE=/boot/vmlinuz-6.1.0-28-amd64
                KERNEL_VERSION=6.1.0-28-amd64
                ISO_DIR=/srv/iso
                ISO_PREFIX="rescue-$HOSTNAME"
                USER_INPUT_TIMEOUT=60
                USER_INPUT_LAYOUT_MIGRATION_CONFIRM_MAPPINGS=1
                SSH_ROOT_PASSWORD='$6$salt$hash'
                OUTPUT_URL=null
                """);
        RearConfig c = load();
        assertThat(c.warnings()).isEmpty();
        assertThat(c.backupOptions()).isEqualTo("nfsvers=3,nolock");
        assertThat(c.requiredProgs()).endsWith("wc", "snapper", "chattr");
        assertThat(c.progs()).containsExactly("lsattr");
        assertThat(c.backupProgInclude()).containsExactly("/var/cache", "/var/lib/mailman", "/var/tmp", "/home", "/var/log");
        assertThat(c.backupOnlyInclude()).isTrue();
        assertThat(c.backupType()).isEqualTo(BackupType.INCREMENTAL);
        assertThat(c.backupProgCompressOptions()).containsExactly("--zstd");
        assertThat(c.backupProgCryptEnabled()).isTrue();
        assertThat(c.backupProgCryptKey()).isEqualTo("my secret passphrase");
        assertThat(c.modules()).containsExactly("loaded_modules");
        assertThat(c.firmwareFiles()).containsExactly("*e1000*", "*iwlwifi*");
        assertThat(c.excludeMountpoints()).containsExactly("/data");
        assertThat(c.excludeMd()).containsExactly("/dev/md127");
        assertThat(c.onlyIncludeVg()).containsExactly("vgroot");
        assertThat(c.excludeComponents()).containsExactly("fs:/scratch");
        assertThat(c.autoexcludeDisks()).isFalse();
        assertThat(c.autoexcludeUsbPath()).containsExactly("/media/usb");
        assertThat(c.kernelFile()).isEqualTo("/boot/vmlinuz-6.1.0-28-amd64");
        assertThat(c.isoDir()).isEqualTo(Path.of("/srv/iso"));
        assertThat(c.isoPrefix()).isEqualTo("rescue-pluto");
        assertThat(c.userInput()).containsExactly(Map.entry("LAYOUT_MIGRATION_CONFIRM_MAPPINGS", "1"));
        assertThat(c.sshRootPassword()).isEqualTo("$6$salt$hash");
        assertThat(c.outputUrl()).isEqualTo("null");
        assertThat(c).hasToString("RearConfig[BACKUP=NETFS, OUTPUT=ISO, files=[" + etc.resolve("local.conf") + "]]");
    }

    @Test
    void vendorMethodsGetTheirFamilies() throws IOException {
        write("local.conf", """
                BACKUP=TSM
                TSM_RESULT_SAVE=n
                TSM_DSMC_RESTORE_OPTIONS=( -virtualnode=pluto )
                """);
        RearConfig c = load();
        assertThat(c.backup()).isEqualTo(BackupMethod.TSM);
        assertThat(c.backupUrl()).as("no embedded NETFS target for TSM").isEmpty();
        assertThat(c.outputUrl()).isEmpty();
        assertThat(c.warnings()).isEmpty();
        assertThat(c.withPrefix("TSM_")).containsEntry("TSM_RESULT_SAVE", ConfigValue.ofString("n"))
                .containsEntry("TSM_DSMC_RESTORE_OPTIONS", ConfigValue.ofArray(List.of("-virtualnode=pluto")))
                .containsKey("TSM_LD_LIBRARY_PATH");

        write("local.conf", "BACKUP=GALAXY11\nGALAXY11_USER=backup\n{ GALAXY11_PASSWORD='pw' ; } 2>>/dev/$SECRET_OUTPUT_DEV\n");
        RearConfig g = load();
        assertThat(g.backup()).isEqualTo(BackupMethod.GALAXY11);
        assertThat(g.withPrefix("GALAXY11_")).containsEntry("GALAXY11_USER", ConfigValue.ofString("backup"))
                .containsEntry("GALAXY11_PASSWORD", ConfigValue.ofString("pw"));

        write("local.conf", "BACKUP=BACULA\nBEXTRACT_DEVICE=Ultrium-1\nBEXTRACT_VOLUME='VOL-*|Vol-*'\n");
        RearConfig b = load();
        assertThat(b.withPrefix("BEXTRACT_")).containsExactly(
                Map.entry("BEXTRACT_VOLUME", ConfigValue.ofString("VOL-*|Vol-*")), Map.entry("BEXTRACT_DEVICE", ConfigValue.ofString("Ultrium-1")));
    }

    @Test
    void backupUrlWithoutBackupMeansNetfs() throws IOException {
        write("local.conf", "BACKUP_URL=cifs://nas/rear\nBACKUP_OPTIONS=\"cred=/etc/rear/cifs\"\n");
        RearConfig c = load();
        assertThat(c.backup()).isEqualTo(BackupMethod.NETFS);
        assertThat(c.backupUrl()).isEqualTo("cifs://nas/rear");
        assertThat(c.outputUrl()).isEqualTo("cifs://nas/rear");
        assertThat(c.warnings()).isEmpty();
    }

    @Test
    void reaRsBooleans() {
        for (String t : List.of("y", "Y", "yes", "YES", "Yes", "t", "T", "true", "True", "TRUE", "1")) {
            assertThat(RearConfig.isTrue(t)).as(t).isTrue();
            assertThat(RearConfig.isFalse(t)).as(t).isFalse();
        }
        for (String f : List.of("n", "N", "no", "No", "NO", "f", "F", "false", "False", "0")) {
            assertThat(RearConfig.isFalse(f)).as(f).isTrue();
            assertThat(RearConfig.isTrue(f)).as(f).isFalse();
        }
        for (String neither : List.of("", " ", "yess", "on", "off", "2", "00", "y ", "enabled")) {
            assertThat(RearConfig.isTrue(neither)).as("'" + neither + "'").isFalse();
            assertThat(RearConfig.isFalse(neither)).as("'" + neither + "'").isFalse();
        }
        assertThat(RearConfig.isTrue(null)).isFalse();
        assertThat(RearConfig.isFalse(null)).isFalse();
    }

    @Test
    void emptyBooleanIsFalse() throws IOException {
        write("local.conf", "BACKUP_URL=nfs://nas/rear\nAUTOEXCLUDE_DISKS=\n");
        assertThat(load().autoexcludeDisks()).isFalse();
    }

    // ---------------------------------------------------------------- dump and secrets

    @Test
    void dumpMasksSecrets() throws IOException {
        Path local = write("local.conf", """
                BACKUP_URL=cifs://backup:Pa55:w@rd@nas.example.com/rear
                BACKUP_OPTIONS="username=backup,password=Pa55w0rd,vers=3.0"
                OUTPUT_URL=sftp://up:load@ftp.example.com/iso
                { BACKUP_PROG_CRYPT_KEY='my secret passphrase' ; } 2>>/dev/$SECRET_OUTPUT_DEV
                BACKUP_PROG_CRYPT_ENABLED=yes
                SSH_ROOT_PASSWORD='$6$salt$hash'
                OUTPUT_LFTP_PASSWORD=lftp-pw
                VAULT_TOKEN=tok
                API_SECRET_FILE=/etc/secret
                SIGNING_KEY=( k1 k2 )
                { OPAL_PBA_TKNKEY='tpm:opalauthtoken:7' ; } 2>>/dev/$SECRET_OUTPUT_DEV
                """);
        String dump = load().dump();
        assertThat(dump).doesNotContain("Pa55", "my secret", "$6$salt", "lftp-pw", "tok\"", "/etc/secret", "k1", "opalauthtoken", "load@");
        Map<String, String> lines = dump.lines().collect(Collectors.toMap(l -> l.substring(0, l.indexOf('=')), l -> l));
        assertThat(lines.get("BACKUP_URL")).isEqualTo("BACKUP_URL=\"cifs://backup:***@nas.example.com/rear\"  # " + local + ":1");
        assertThat(lines.get("BACKUP_OPTIONS")).isEqualTo("BACKUP_OPTIONS=\"username=backup,password=***,vers=3.0\"  # " + local + ":2");
        assertThat(lines.get("OUTPUT_URL")).isEqualTo("OUTPUT_URL=\"sftp://up:***@ftp.example.com/iso\"  # " + local + ":3");
        assertThat(lines.get("BACKUP_PROG_CRYPT_KEY")).isEqualTo("BACKUP_PROG_CRYPT_KEY=\"***\"  # " + local + ":4");
        assertThat(lines.get("SSH_ROOT_PASSWORD")).isEqualTo("SSH_ROOT_PASSWORD=\"***\"  # " + local + ":6");
        assertThat(lines.get("OUTPUT_LFTP_PASSWORD")).isEqualTo("OUTPUT_LFTP_PASSWORD=\"***\"  # " + local + ":7 (not used by rear)");
        assertThat(lines.get("VAULT_TOKEN")).startsWith("VAULT_TOKEN=\"***\"");
        assertThat(lines.get("API_SECRET_FILE")).startsWith("API_SECRET_FILE=\"***\"");
        assertThat(lines.get("SIGNING_KEY")).startsWith("SIGNING_KEY=( \"***\" \"***\" )");
        assertThat(lines.get("OPAL_PBA_TKNKEY")).as("set in ReaR's confidential form").startsWith("OPAL_PBA_TKNKEY=\"***\"");
        assertThat(lines.get("GALAXY11_PASSWORD")).as("empty secrets show as empty").isEqualTo("GALAXY11_PASSWORD=\"\"  # default");
        assertThat(lines.get("BACKUP_PROG_EXCLUDE")).isEqualTo("BACKUP_PROG_EXCLUDE=( \"/tmp/*\" \"/dev/shm/*\" \"/var/lib/rear/output/*\" )  # default");
        assertThat(lines).doesNotContainKeys("VAR_DIR", "HOSTNAME", "CONFIG_DIR");
    }

    @Test
    void dumpIsReaRSyntaxThatReadsBack() throws IOException {
        write("local.conf", """
                BACKUP_URL=nfs://nas/rear
                COPY_AS_IS+=( "/etc/with space" '/opt/$weird' "/q\\"uote" )
                REQUESTRESTORE_TEXT="two
                lines"
                """);
        RearConfig c = load();
        Path dumped = Files.writeString(dir.resolve("dumped.conf"), c.dump());
        RearConfig again = RearConfig.load(Files.createDirectory(dir.resolve("empty")), List.of(dumped.toString()), null, HOST);
        assertThat(again.copyAsIs()).isEqualTo(c.copyAsIs()).endsWith("/etc/with space", "/opt/$weird", "/q\"uote");
        assertThat(again.value("REQUESTRESTORE_TEXT")).isEqualTo(c.value("REQUESTRESTORE_TEXT")).contains(ConfigValue.ofString("two\nlines"));
        assertThat(again.backupProgExclude()).isEqualTo(c.backupProgExclude());
        assertThat(again.requiredProgs()).isEqualTo(c.requiredProgs());
    }

    @Test
    void isSecret() throws IOException {
        write("local.conf", "BACKUP_URL=nfs://nas/rear\n{ MY_THING=x ; } 2>>/dev/$SECRET_OUTPUT_DEV\n");
        RearConfig c = load();
        assertThat(c.isSecret("BACKUP_PROG_CRYPT_KEY")).isTrue();
        assertThat(c.isSecret("SSH_ROOT_PASSWORD")).isTrue();
        assertThat(c.isSecret("GALAXY11_PASSWORD")).isTrue();
        assertThat(c.isSecret("MY_THING")).isTrue();
        assertThat(c.isSecret("BACKUP_URL")).isFalse();
        assertThat(c.isSecret("KEYBOARD")).isFalse();
    }

    @Test
    void credentialMasking() {
        assertThat(Secrets.maskCredentials("cifs://user:pw@host/share")).isEqualTo("cifs://user:***@host/share");
        assertThat(Secrets.maskCredentials("cifs://user@host/share")).isEqualTo("cifs://user@host/share");
        assertThat(Secrets.maskCredentials("nfs://host:2049/export")).isEqualTo("nfs://host:2049/export");
        assertThat(Secrets.maskCredentials("sshfs://john@doe:p@w@host/x")).isEqualTo("sshfs://john@doe:***@host/x");
        assertThat(Secrets.maskCredentials("ftp://a:b@h1/x and ftp://c:d@h2")).isEqualTo("ftp://a:***@h1/x and ftp://c:***@h2");
        assertThat(Secrets.maskCredentials("user=u,pass=p,passwd=q,password=r,passes=s")).isEqualTo("user=u,pass=***,passwd=***,password=***,passes=s");
        assertThat(Secrets.maskCredentials("file:///var/lib/rear/backup")).isEqualTo("file:///var/lib/rear/backup");
    }

    private static ConfigException catchConfig(Runnable r) {
        try {
            r.run();
        } catch (ConfigException e) {
            return e;
        }
        throw new AssertionError("accepted");
    }

    @Test
    void loadOnThisMachine() {
        RearConfig.Host h = RearConfig.Host.current();
        assertThat(h.hostname()).isNotBlank().doesNotContain(".");
        assertThat(h.kernelRelease()).isNotBlank();
    }

    @Test
    void theFailuresAreConfigExceptions() {
        assertThatThrownBy(() -> RearConfig.load(etc, List.of("nope"), null, HOST)).isInstanceOf(ConfigException.class)
                .isInstanceOf(dev.rear.api.RearException.class);
    }
}
