package io.glaux.coordinator.sql;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.coordinator.planner.QueryPlanner;
import io.glaux.coordinator.sql.ast.SqlGlauxStatement;
import io.glaux.coordinator.sql.ast.Statement;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Glaux's grammar: Calcite's parser with the Athena/Hive statements (no cluster needed). */
class TestGlauxSqlParser
{
    private static Statement statement(String sql)
    {
        SqlNode node = QueryPlanner.parse(sql);
        assertThat(node).isInstanceOf(SqlGlauxStatement.class);
        return ((SqlGlauxStatement) node).statement();
    }

    @Test
    void createExternalTableWithEveryClause()
    {
        Statement.CreateTable create = (Statement.CreateTable) statement("""
                CREATE EXTERNAL TABLE IF NOT EXISTS `Web`.logs (
                  `ts` timestamp COMMENT 'request time',
                  tags array<map<string,struct<a:int,`b c`:decimal(10,2)>>>,
                  location string,
                  comment string)
                COMMENT 'it''s logs'
                PARTITIONED BY (dt string, year int)
                CLUSTERED BY (ts) SORTED BY (location DESC) INTO 4 BUCKETS
                ROW FORMAT DELIMITED FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' COLLECTION ITEMS TERMINATED BY '\\002'
                  MAP KEYS TERMINATED BY ':' LINES TERMINATED BY '\\n' NULL DEFINED AS ''
                STORED AS TEXTFILE
                LOCATION 's3://bucket/logs/'
                TBLPROPERTIES ('skip.header.line.count'='1', "projection.enabled"="false")""");
        assertThat(create.external()).isTrue();
        assertThat(create.ifNotExists()).isTrue();
        assertThat(create.name().parts()).containsExactly("web", "logs");
        assertThat(create.columns()).extracting(column -> column.name().value()).containsExactly("ts", "tags", "location", "comment");
        assertThat(create.columns()).extracting(column -> column.type().value())
                .containsExactly("timestamp", "array<map<string,struct<a:int,`b c`:decimal(10,2)>>>", "string", "string");
        assertThat(create.columns().getFirst().comment()).contains("request time");
        assertThat(create.comment()).contains("it's logs");
        assertThat(create.partitionColumns()).extracting(column -> column.name().value()).containsExactly("dt", "year");
        assertThat(create.bucketing().orElseThrow().buckets().value()).isEqualTo(4);
        Statement.Delimited delimited = (Statement.Delimited) create.rowFormat().orElseThrow();
        assertThat(delimited.fieldsTerminatedBy()).contains("\t");
        assertThat(delimited.escapedBy()).contains("\\");
        assertThat(delimited.collectionItemsTerminatedBy()).contains("\u0002");
        assertThat(delimited.linesTerminatedBy()).contains("\n");
        assertThat(delimited.nullDefinedAs()).contains("");
        assertThat(((Statement.StoredAsName) create.storedAs().orElseThrow()).name().value()).isEqualTo("textfile");
        assertThat(create.location().orElseThrow().value()).isEqualTo("s3://bucket/logs/");
        assertThat(create.properties()).isEqualTo(Map.of("skip.header.line.count", "1", "projection.enabled", "false"));
    }

    @Test
    void serdeAndFormats()
    {
        Statement.CreateTable create = (Statement.CreateTable) statement("""
                CREATE EXTERNAL TABLE t (a int)
                ROW FORMAT SERDE 'org.apache.hadoop.hive.serde2.RegexSerDe'
                WITH SERDEPROPERTIES ('input.regex' = '([^ ]*) \\"([^\\"]*)\\"')
                STORED AS INPUTFORMAT 'org.apache.hadoop.mapred.TextInputFormat'
                OUTPUTFORMAT 'org.apache.hadoop.hive.ql.io.HiveIgnoreKeyTextOutputFormat'
                LOCATION 's3://b/p'""");
        Statement.Serde serde = (Statement.Serde) create.rowFormat().orElseThrow();
        assertThat(serde.properties()).containsEntry("input.regex", "([^ ]*) \"([^\"]*)\"");
        assertThat(create.storedAs().orElseThrow()).isInstanceOf(Statement.StoredAsFormats.class);
    }

    @Test
    void otherStatements()
    {
        assertThat(statement("CREATE DATABASE IF NOT EXISTS db COMMENT 'c' LOCATION 's3://b/db' WITH DBPROPERTIES ('k'='v')"))
                .isInstanceOfSatisfying(Statement.CreateSchema.class, create -> {
                    assertThat(create.ifNotExists()).isTrue();
                    assertThat(create.properties()).containsEntry("k", "v");
                });
        assertThat(statement("DROP SCHEMA IF EXISTS `default` CASCADE")).isEqualTo(
                new Statement.DropSchema(((Statement.DropSchema) statement("DROP SCHEMA IF EXISTS `default` CASCADE")).pos(),
                        ((Statement.DropSchema) statement("DROP SCHEMA IF EXISTS `default` CASCADE")).name(), true, true));
        assertThat(statement("SHOW DATABASES LIKE 'w%'")).isInstanceOf(Statement.ShowSchemas.class);
        assertThat(statement("SHOW TABLES IN default")).isInstanceOfSatisfying(Statement.ShowTables.class,
                show -> assertThat(show.schema().orElseThrow().parts()).containsExactly("default"));
        assertThat(statement("USE system")).isInstanceOf(Statement.Use.class);
        assertThat(statement("DESCRIBE FORMATTED db.t")).isInstanceOfSatisfying(Statement.Describe.class, describe -> assertThat(describe.formatted()).isTrue());
        assertThat(statement("DESC formatted")).isInstanceOfSatisfying(Statement.Describe.class, describe -> assertThat(describe.name().parts()).containsExactly("formatted"));
        assertThat(statement("SHOW COLUMNS IN t")).isInstanceOf(Statement.Describe.class);
        assertThat(statement("SHOW CREATE TABLE t")).isInstanceOf(Statement.ShowCreateTable.class);
        assertThat(statement("SHOW PARTITIONS t")).isInstanceOf(Statement.ShowPartitions.class);
        assertThat(statement("SHOW TBLPROPERTIES t ('k')")).isInstanceOfSatisfying(Statement.ShowTableProperties.class,
                show -> assertThat(show.key()).contains("k"));
        assertThat(statement("ALTER TABLE t ADD IF NOT EXISTS PARTITION (dt='a', year=2024) LOCATION 's3://b/a' PARTITION (dt='b', year=-1)"))
                .isInstanceOfSatisfying(Statement.AddPartitions.class, add -> {
                    assertThat(add.partitions()).hasSize(2);
                    assertThat(add.partitions().get(1).spec().values()).extracting(Statement.Located::value).containsExactly("b", "-1");
                    assertThat(add.partitions().get(1).location()).isEqualTo(Optional.empty());
                });
        assertThat(statement("ALTER TABLE t DROP IF EXISTS PARTITION (dt='a'), PARTITION (dt='b')")).isInstanceOfSatisfying(Statement.DropPartitions.class,
                drop -> assertThat(drop.partitions()).hasSize(2));
        assertThat(statement("ALTER TABLE t PARTITION (dt='a') SET LOCATION 's3://b/x'")).isInstanceOf(Statement.SetPartitionLocation.class);
        assertThat(statement("ALTER TABLE t ADD COLUMNS (x int COMMENT 'x')")).isInstanceOfSatisfying(Statement.ChangeColumns.class,
                change -> assertThat(change.replace()).isFalse());
        assertThat(statement("ALTER TABLE t REPLACE COLUMNS (x int, y string)")).isInstanceOfSatisfying(Statement.ChangeColumns.class,
                change -> assertThat(change.columns()).hasSize(2));
        assertThat(statement("ALTER TABLE t SET TBLPROPERTIES ('a'='b')")).isInstanceOf(Statement.SetTableProperties.class);
        assertThat(statement("MSCK REPAIR TABLE db.t")).isInstanceOfSatisfying(Statement.MsckRepair.class, repair -> {
            assertThat(repair.add()).isTrue();
            assertThat(repair.drop()).isFalse();
        });
        assertThat(statement("MSCK REPAIR TABLE db.t SYNC PARTITIONS")).isInstanceOfSatisfying(Statement.MsckRepair.class, repair -> {
            assertThat(repair.add()).isTrue();
            assertThat(repair.drop()).isTrue();
        });
        assertThat(statement("MSCK REPAIR TABLE db.t DROP PARTITIONS")).isInstanceOfSatisfying(Statement.MsckRepair.class, repair -> {
            assertThat(repair.add()).isFalse();
            assertThat(repair.drop()).isTrue();
        });
        assertThat(statement("ANALYZE hive.db.t")).isInstanceOfSatisfying(Statement.Analyze.class,
                analyze -> assertThat(analyze.name().parts()).containsExactly("hive", "db", "t"));
        assertThat(statement("SHOW TABLES IN db 'a*|b'")).isInstanceOfSatisfying(Statement.ShowTables.class,
                show -> assertThat(show.pattern()).contains("a*|b"));
        assertThat(statement("ALTER TABLE t CHANGE COLUMN area zip int COMMENT 'zip code' AFTER id")).isInstanceOfSatisfying(Statement.ChangeColumn.class, change -> {
            assertThat(change.column().value()).isEqualTo("area");
            assertThat(change.definition().name().value()).isEqualTo("zip");
            assertThat(change.definition().type().value()).isEqualTo("int");
            assertThat(change.definition().comment()).contains("zip code");
            assertThat(change.after().orElseThrow().value()).isEqualTo("id");
        });
        assertThat(statement("ALTER TABLE t CHANGE date date struct<first:int> FIRST")).isInstanceOfSatisfying(Statement.ChangeColumn.class, change -> {
            assertThat(change.definition().type().value()).isEqualTo("struct<first:int>");
            assertThat(change.first()).isTrue();
        });
        assertThat(statement("ALTER TABLE t RENAME TO u")).isInstanceOf(Statement.RenameTable.class);
        assertThat(statement("CREATE EXTERNAL TABLE t (date date, time string, Timestamp timestamp) PARTITIONED BY (year int) LOCATION 's3://b/t'"))
                .isInstanceOfSatisfying(Statement.CreateTable.class, create -> assertThat(create.columns())
                        .extracting(column -> column.name().value()).containsExactly("date", "time", "timestamp"));
        assertThat(statement("ALTER TABLE t DROP PARTITION (date = '2024-01-01')")).isInstanceOfSatisfying(Statement.DropPartitions.class,
                drop -> assertThat(drop.partitions().getFirst().keys().getFirst().value()).isEqualTo("date"));
        assertThat(statement("SHOW CATALOGS LIKE 'h%'")).isInstanceOf(Statement.ShowCatalogs.class);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "SELECT * FROM system.jdbc.tables",
            "SELECT * FROM default.t",
            "SELECT year, month, day, hour, value, position, location, comment FROM t WHERE year = 2024",
            "SELECT extract(year FROM DATE '2024-03-01'), position('a' IN 'ba'), count(*) FROM t",
            "SELECT user, value FROM t",
            "SELECT method, global, local, function, start, element, member, module, percent, references FROM t WHERE method IN ('GET')",
            "SELECT date, time, timestamp FROM cloudfront_logs WHERE date = DATE '2024-01-01' AND time > '10:00:00'",
            "SELECT t.date, date AS d, max(time) time FROM t GROUP BY date, t.date HAVING max(date) > DATE '2024-01-01'",
            "SELECT date FROM t WHERE date BETWEEN DATE '2024-01-01' AND DATE '2024-01-02' AND timestamp < TIMESTAMP '2024-01-01 00:00:00'"})
    void trinoNonReservedWordsAreNames(String sql)
    {
        assertThat(QueryPlanner.parse(sql).getKind()).isEqualTo(SqlKind.SELECT);
    }

    @Test
    void typeWordsStayTypesWhereTheyFit()
    {
        assertThat(QueryPlanner.parse("""
                SELECT DATE '2024-01-01', TIME '10:00:00', TIMESTAMP '2024-01-01 10:00:00', CAST(date AS DATE), CAST(time AS TIMESTAMP(3)),
                  date + INTERVAL '1' DAY, EXTRACT(YEAR FROM date), DATE(timestamp)
                FROM t""").toString().replace("\n", " "))
                .contains("DATE '2024-01-01'", "TIME '10:00:00'", "TIMESTAMP '2024-01-01 10:00:00'", "CAST(`date` AS DATE)", "CAST(`time` AS TIMESTAMP(3))",
                        "`date` + INTERVAL '1' DAY", "EXTRACT(YEAR FROM `date`)", "`date`(`timestamp`)");
    }

    @Test
    void syntaxErrorsHavePositions()
    {
        assertThatThrownBy(() -> QueryPlanner.parse("CREATE EXTERNAL TABLE t (a int)\nSTORED BY 'x'"))
                .isInstanceOfSatisfying(GlauxException.class, e -> {
                    assertThat(e.errorCode()).isEqualTo(ErrorCode.SYNTAX_ERROR);
                    assertThat(e.getMessage()).startsWith("line 2:8:");
                });
        assertThat(List.of(QueryPlanner.parse("SHOW TABLES"))).hasSize(1);
    }
}
