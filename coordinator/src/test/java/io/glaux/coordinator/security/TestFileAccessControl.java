package io.glaux.coordinator.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/** The rules file's evaluation and its errors, without a cluster (TestAccessControl runs the rules on one). */
class TestFileAccessControl
{
    @TempDir
    Path directory;

    private FileAccessControl rules(String json)
            throws Exception
    {
        Path file = directory.resolve("rules.json");
        Files.writeString(file, json);
        return new FileAccessControl(file, Optional.empty(), Optional.empty());
    }

    @Test
    void firstMatchingRuleWinsAndNoMatchDenies()
            throws Exception
    {
        FileAccessControl control = rules("""
                {"tables": [
                  {"user": "alice", "table": "secret", "privileges": []},
                  {"user": "alice", "privileges": ["SELECT"]}
                ]}
                """);
        QualifiedName secret = new QualifiedName("hive", "web", "secret");
        QualifiedName logs = new QualifiedName("hive", "web", "logs");
        control.checkCanSelect("alice", logs);
        assertThatThrownBy(() -> control.checkCanSelect("alice", secret))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.ACCESS_DENIED))
                .hasMessage("Access Denied: Cannot select from table hive.web.secret");
        assertThatThrownBy(() -> control.checkCanSelect("bob", logs)).hasMessage("Access Denied: Cannot select from table hive.web.logs");
        assertThatThrownBy(() -> control.checkCanDropTable("alice", logs)).hasMessage("Access Denied: Cannot drop table hive.web.logs");
        assertThat(control.filterTables("alice", "hive", "web", List.of("logs", "secret", "other"))).containsExactly("logs", "other");
        // no catalogs section: every catalog; system and information_schema are always readable
        control.checkCanSelect("bob", new QualifiedName("system", "jdbc", "tables"));
        control.checkCanSelect("bob", new QualifiedName("hive", "information_schema", "tables"));
    }

    @Test
    void locationsMatchWholeSegmentsAndRefusePathGames()
            throws Exception
    {
        FileAccessControl control = rules("""
                {"groups": {"etl": ["erin"]}, "locations": [{"group": "etl", "location": "s3://Logs/etl"}]}
                """);
        control.checkCanUseLocation("erin", "s3://logs/etl/", "t");
        control.checkCanUseLocation("erin", "s3a://LOGS/etl/daily/x", "t");
        for (String location : List.of("s3://logs/etlx/", "s3://logs/", "s3://logs/etl/../access/", "s3://logs/etl/./x", "s3://logs/etl//x",
                "file:///etc/", "s3://other/etl/")) {
            assertThatThrownBy(() -> control.checkCanUseLocation("erin", location, "table hive.s.t"))
                    .as(location)
                    .hasMessageStartingWith("Access Denied: Cannot use location " + location + " for table hive.s.t");
        }
        assertThatThrownBy(() -> control.checkCanUseLocation("bob", "s3://logs/etl/", "t")).hasMessageContaining("Cannot use location");
        assertThat(control.groupsOf("erin")).containsExactly("etl");
    }

    @Test
    void badRulesNameTheFileAndTheRule()
            throws Exception
    {
        assertThatThrownBy(() -> rules("{\"tables\": [{\"privileges\": [\"READ\"]}]}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("tables[0]: unknown privilege 'READ'");
        assertThatThrownBy(() -> rules("{\"catalogs\": [{\"catalog\": \"(\", \"allow\": \"all\"}]}"))
                .hasMessageContaining("catalogs[0]: 'catalog' is not a valid regular expression");
        assertThatThrownBy(() -> rules("{\"catalog\": []}")).hasMessageContaining("unknown section 'catalog'");
        assertThatThrownBy(() -> rules("{\"locations\": [{\"location\": \"/tmp\"}]}")).hasMessageContaining("is not an s3://bucket/prefix location");
        assertThatThrownBy(() -> rules("{not json")).hasMessageContaining("is not valid JSON");
    }

    @Test
    void theRulesAreReloadedWhenTheFileChanges()
            throws Exception
    {
        Path file = directory.resolve("reloaded.json");
        Files.writeString(file, "{\"catalogs\": [{\"allow\": \"none\"}]}");
        FileAccessControl control = new FileAccessControl(file, Optional.empty(), Optional.of(Duration.ofMillis(1)));
        assertThatThrownBy(() -> control.checkCanAccessCatalog("alice", "hive")).hasMessage("Access Denied: Cannot access catalog hive");
        Files.writeString(file, "{\"catalogs\": [{\"allow\": \"read-only\"}]}");
        Files.setLastModifiedTime(file, java.nio.file.attribute.FileTime.fromMillis(System.currentTimeMillis() + 10_000));
        long deadline = System.nanoTime() + 10_000_000_000L;
        while (true) {
            try {
                control.checkCanAccessCatalog("alice", "hive");
                break;
            }
            catch (GlauxException e) {
                assertThat(System.nanoTime()).as("reloaded within 10 s").isLessThan(deadline);
                Thread.onSpinWait();
            }
        }
        assertThatThrownBy(() -> control.checkCanCreateTable("alice", new QualifiedName("hive", "s", "t"))).hasMessage("Access Denied: Cannot create table hive.s.t");
    }
}
