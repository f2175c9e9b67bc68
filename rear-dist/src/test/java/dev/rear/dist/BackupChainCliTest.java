package dev.rear.dist;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.rear.engine.testing.RearRun;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The CLI with the real tar provider and {@code BACKUP_TYPE=incremental}, without root: {@code mkbackuponly}
 * twice makes a full and an incremental archive, {@code restorepoints} lists both, and
 * {@code restoreonly --restore-point} brings back the tree of each day (a file deleted in between
 * is there at the first point and gone at the second).
 */
class BackupChainCliTest {

    @TempDir
    Path tmp;

    static RearRun rear(Path conf, String... args) {
        return RearRun.withConfig(conf, args);
    }

    @Test
    void anIncrementalChainIsListedAndEachPointRestoresItsDay() throws Exception {
        Path conf = Files.createDirectories(tmp.resolve("etc-rear"));
        Path store = Files.createDirectories(tmp.resolve("store"));
        Files.writeString(conf.resolve("local.conf"), "BACKUP=NETFS\nBACKUP_URL=file://" + store + "\nBACKUP_TYPE=incremental\n");
        Path src = Files.createDirectories(tmp.resolve("src"));
        Files.createDirectories(src.resolve("etc"));
        Files.writeString(src.resolve("etc/hostname"), "chain\n");
        Files.writeString(src.resolve("etc/old.conf"), "to be deleted\n");

        RearRun first = rear(conf, "mkbackuponly", "--source-root", src.toString(), "--journal", tmp.resolve("b1.jsonl").toString());
        assertThat(first.code()).as(first.out() + first.err()).isZero();
        Files.delete(src.resolve("etc/old.conf"));
        Files.writeString(src.resolve("etc/new.conf"), "added later\n");
        // ReaR names archives by the minute; a second backup in the same minute gets seconds added.
        RearRun second = rear(conf, "mkbackuponly", "--source-root", src.toString(), "--journal", tmp.resolve("b2.jsonl").toString());
        assertThat(second.code()).as(second.out() + second.err()).isZero();

        RearRun list = rear(conf, "restorepoints");
        assertThat(list.code()).as(list.out() + list.err()).isZero();
        assertThat(list.out()).contains("ID", "KIND", "full", "incremental", "restorepoints: 2 restore point(s) of backup provider 'tar'");
        RearRun json = rear(conf, "restorepoints", "--json");
        JsonNode doc = new ObjectMapper().readTree(json.out());
        List<String> ids = new ArrayList<>();
        doc.get("restorePoints").forEach(p -> ids.add(p.get("id").asText()));
        assertThat(ids).hasSize(2);
        assertThat(doc.get("restorePoints").get(0).get("kind").asText()).isEqualTo("full");
        assertThat(doc.get("restorePoints").get(1).get("kind").asText()).isEqualTo("incremental");
        assertThat(doc.get("restorePoints").get(1).get("basedOn").asText()).isNotBlank();

        Path day1 = Files.createDirectories(tmp.resolve("day1"));
        RearRun r1 = rear(conf, "restoreonly", "--target-root", day1.toString(), "--restore-point", ids.get(0),
                "--journal", tmp.resolve("r1.jsonl").toString());
        assertThat(r1.code()).as(r1.out() + r1.err()).isZero();
        assertThat(day1.resolve("etc/old.conf")).hasContent("to be deleted");
        assertThat(day1.resolve("etc/new.conf")).doesNotExist();

        Path day2 = Files.createDirectories(tmp.resolve("day2"));
        RearRun r2 = rear(conf, "restoreonly", "--target-root", day2.toString(), "--journal", tmp.resolve("r2.jsonl").toString());
        assertThat(r2.code()).as(r2.out() + r2.err()).isZero();
        assertThat(day2.resolve("etc/old.conf")).doesNotExist();
        assertThat(day2.resolve("etc/new.conf")).hasContent("added later");
        assertThat(day2.resolve("etc/hostname")).hasContent("chain\n");
    }
}
