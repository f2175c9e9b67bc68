package dev.rear.provider.tar;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.rear.provider.tar.BackupUrl.Scheme;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** BACKUP_URL as ReaR's url_scheme/url_host/url_path read it, and every refusal with its reason. */
class BackupUrlTest {

    @Test
    void fileNamesALocalDirectory() {
        BackupUrl u = BackupUrl.parse("file:///var/lib/rear/backup/");
        assertThat(u.scheme()).isEqualTo(Scheme.FILE);
        assertThat(u.host()).isNull();
        assertThat(u.path()).isEqualTo("/var/lib/rear/backup");
        assertThat(u.source()).isEqualTo("/var/lib/rear/backup");
        assertThat(u.scheme().mounted()).isFalse();
    }

    @Test
    void usbNamesADeviceAsReaRWritesIt() {
        BackupUrl u = BackupUrl.parse("usb:///dev/disk/by-label/REAR-000");
        assertThat(u.scheme()).isEqualTo(Scheme.USB);
        assertThat(u.path()).isEqualTo("/dev/disk/by-label/REAR-000");
        assertThat(u.scheme().mounted()).isTrue();
    }

    @Test
    void nfsNamesHostAndExport() {
        BackupUrl u = BackupUrl.parse("nfs://nas.example.com/exports/rear");
        assertThat(u.scheme()).isEqualTo(Scheme.NFS);
        assertThat(u.host()).isEqualTo("nas.example.com");
        assertThat(u.path()).isEqualTo("/exports/rear");
        assertThat(u.source()).isEqualTo("nas.example.com:/exports/rear");
    }

    @Test
    void nfsTakesIpAddressesIncludingIpv6() {
        assertThat(BackupUrl.parse("nfs://192.168.1.10/srv/nfs").source()).isEqualTo("192.168.1.10:/srv/nfs");
        assertThat(BackupUrl.parse("nfs://[fd00::1]/srv/nfs").source()).isEqualTo("[fd00::1]:/srv/nfs");
    }

    @Test
    void cifsNamesServerShareAndSubdirectory() {
        BackupUrl u = BackupUrl.parse("cifs://fileserver/backups/linux");
        assertThat(u.scheme()).isEqualTo(Scheme.CIFS);
        assertThat(u.source()).isEqualTo("//fileserver/backups/linux");
    }

    @Test
    void sshfsNamesUserHostPathAndOptionallyAPort() {
        BackupUrl u = BackupUrl.parse("sshfs://backup@store.example.com/srv/rear");
        assertThat(u.scheme()).isEqualTo(Scheme.SSHFS);
        assertThat(u.user()).isEqualTo("backup");
        assertThat(u.port()).isEqualTo(-1);
        assertThat(u.source()).isEqualTo("backup@store.example.com:/srv/rear");
        BackupUrl p = BackupUrl.parse("sshfs://root@127.0.0.1:2222/tmp/x");
        assertThat(p.port()).isEqualTo(2222);
        assertThat(p.source()).isEqualTo("root@127.0.0.1:/tmp/x");
        assertThat(BackupUrl.parse("sshfs://store/srv").source()).isEqualTo("store:/srv");
    }

    @Test
    void oddCharactersArePercentDecodedAndDoubleSlashesFolded() {
        BackupUrl u = BackupUrl.parse("nfs://nas/exports/my%20backups/caf%C3%A9//x/");
        assertThat(u.path()).isEqualTo("/exports/my backups/café/x");
        assertThat(u.source()).isEqualTo("nas:/exports/my backups/café/x");
        assertThat(BackupUrl.parse("usb:///dev/disk/by-label/REAR%2D000").path()).isEqualTo("/dev/disk/by-label/REAR-000");
        assertThat(BackupUrl.parse("cifs://srv/share%23%3Fodd").path()).isEqualTo("/share#?odd");
        assertThat(BackupUrl.parse("NFS://nas/x").scheme()).isEqualTo(Scheme.NFS);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "ftp://server/dir|has the scheme 'ftp', which the tar provider does not write to",
            "tape:///dev/nst0|has the scheme 'tape'",
            "/var/backup|has no scheme",
            "nfs:server/export|needs '//' after 'nfs:'",
            "nfs://server|names no export",
            "nfs://server/|names no export",
            "nfs:///export|names no server",
            "nfs://user@server/export|has a user name; NFS takes none",
            "nfs://server:2049/export|has a port; give it in BACKUP_OPTIONS",
            "cifs://server/|names no share",
            "cifs://me@server/share|has a user name; put username= into the credentials file",
            "cifs://me:secret@server/share|holds a password",
            "sshfs://me:hunter22@host/x|holds a password",
            "sshfs:///x|names no server",
            "usb://host/dev/sdb1|names the host 'host', but a usb: URL is local and takes three slashes",
            "usb:///mnt/usb|does not name a device under /dev",
            "file://host/dir|names the host 'host'",
            "file:///|names no directory",
            "file:///a/../etc|has '..' in its path",
            "nfs://server/export?vers=4|has a '?' or '#' part",
            "nfs://server/my backups|is not a URL: Illegal character in path at character 16",
            "nfs://bad_host/export|has the server 'bad_host', which is not a host name or address",
    })
    void badUrlsAreRefusedWithTheReason(String url, String why) {
        assertThatThrownBy(() -> BackupUrl.parse(url)).isInstanceOf(BackupUrl.BadUrlException.class)
                .hasMessageStartingWith("BACKUP_URL=").hasMessageContaining(why);
    }

    @Test
    void aPasswordNeverAppearsInTheRefusal() {
        assertThatThrownBy(() -> BackupUrl.parse("sshfs://me:hunter22@host/x")).hasMessageNotContaining("hunter22")
                .hasMessageContaining("me:***@host");
    }

    @Test
    void controlCharactersAreRefused() {
        assertThatThrownBy(() -> BackupUrl.parse("nfs://server/ex\nport")).isInstanceOf(BackupUrl.BadUrlException.class)
                .hasMessageContaining("control character");
    }
}
