package io.glaux.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.catalog.model.Column;
import io.glaux.catalog.model.Database;
import io.glaux.catalog.model.StorageFormat;
import io.glaux.catalog.model.Table;
import io.glaux.launcher.demo.DemoDataset;
import io.glaux.spi.type.TypeParser;
import org.apache.parquet.conf.PlainParquetConfiguration;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.hadoop.ParquetWriter;
import org.apache.parquet.hadoop.example.ExampleParquetWriter;
import org.apache.parquet.io.LocalOutputFile;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Array;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.Map;

/** array, map and row columns from a Parquet file through workers, Flight and the coordinator to JDBC. */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class TestNestedTypes
{
    private static final MessageType SCHEMA = MessageTypeParser.parseMessageType("""
            message nested {
              optional int64 id;
              optional group tags (LIST) { repeated group list { optional binary element (STRING); } }
              optional group attrs (MAP) { repeated group key_value { required binary key (STRING); optional int32 value; } }
              optional group info { optional int32 a; optional binary b (STRING); }
            }
            """);

    private TestCluster cluster;

    @BeforeAll
    void setUp()
            throws Exception
    {
        cluster = SharedCluster.get();
        Path file = Files.createTempDirectory("glaux-nested").resolve("nested.parquet");
        SimpleGroupFactory groups = new SimpleGroupFactory(SCHEMA);
        try (ParquetWriter<Group> writer = ExampleParquetWriter.builder(new LocalOutputFile(file)).withConf(new PlainParquetConfiguration()).withType(SCHEMA).build()) {
            Group first = groups.newGroup().append("id", 1L);
            Group tags = first.addGroup("tags");
            tags.addGroup("list").append("element", "red");
            tags.addGroup("list").append("element", "blue");
            first.addGroup("attrs").addGroup("key_value").append("key", "x").append("value", 7);
            first.addGroup("info").append("a", 42).append("b", "hello");
            writer.write(first);
            writer.write(groups.newGroup().append("id", 2L));
        }
        cluster.coordinator().objectStore().put(DemoDataset.BUCKET, "nested/nested.parquet", file);
        var catalog = cluster.coordinator().catalog();
        catalog.createSchema(Database.named("shapes"), true);
        catalog.createTable(Table.external("shapes", "nested", List.of(
                        new Column("id", TypeParser.parse("bigint")),
                        new Column("tags", TypeParser.parse("array<string>")),
                        new Column("attrs", TypeParser.parse("map<string,int>")),
                        new Column("info", TypeParser.parse("struct<a:int,b:string>"))),
                List.of(), StorageFormat.PARQUET, "s3://" + DemoDataset.BUCKET + "/nested/", Map.of()), true);
    }

    @Test
    void nestedValuesReachTheClient()
            throws Exception
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT id, tags, attrs, info FROM shapes.nested ORDER BY id")) {
            assertThat(resultSet.getMetaData().getColumnTypeName(2)).isEqualTo("array(varchar)");
            assertThat(resultSet.getMetaData().getColumnTypeName(3)).isEqualTo("map(varchar,integer)");
            assertThat(resultSet.getMetaData().getColumnTypeName(4)).isEqualTo("row(a integer,b varchar)");
            assertThat(resultSet.next()).isTrue();
            Array tags = resultSet.getArray(2);
            assertThat((Object[]) tags.getArray()).containsExactly("red", "blue");
            assertThat(resultSet.getObject(3)).isEqualTo(Map.of("x", 7));
            assertThat(resultSet.getObject(4).toString()).contains("42").contains("hello");
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getObject(2)).isNull();
            assertThat(resultSet.getObject(3)).isNull();
            assertThat(resultSet.getObject(4)).isNull();
        }
    }

    @Test
    void nestedValuesInExpressions()
            throws Exception
    {
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT n.info.a + 1, upper(n.info.b), n.info.a FROM shapes.nested AS n WHERE id = 1 AND n.info.a > 0")) {
            // row fields are read by the engine (cardinality and subscripts are the array functions' own tests)
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getLong(1)).isEqualTo(43);
            assertThat(resultSet.getString(2)).isEqualTo("HELLO");
            assertThat(resultSet.getInt(3)).isEqualTo(42);
            assertThat(resultSet.next()).isFalse();
        }
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT id, info.b FROM shapes.nested ORDER BY id")) {
            // a NULL row has NULL fields
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getString(2)).isEqualTo("hello");
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getString(2)).isNull();
        }
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT cardinality(tags), tags[1] FROM shapes.nested WHERE id = 1")) {
            // an array column read from the file, computed on by the engine
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getLong(1)).isEqualTo(2);
            assertThat(resultSet.getString(2)).isEqualTo("red");
        }
    }

    @Test
    void computedArraysReachTheDriverAsArrays()
            throws Exception
    {
        // arrays computed by the engine's functions, next to the data, typed as Trino types them
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery(
                        "SELECT split('a,b,,c', ','), array_sort(tags), sequence(1, 3), element_at(attrs, 'x'), map_keys(attrs) FROM shapes.nested WHERE id = 1")) {
            assertThat(resultSet.getMetaData().getColumnTypeName(1)).isEqualTo("array(varchar)");
            assertThat(resultSet.getMetaData().getColumnTypeName(3)).isEqualTo("array(bigint)");
            assertThat(resultSet.next()).isTrue();
            Array split = resultSet.getArray(1);
            assertThat(split.getBaseTypeName()).isEqualTo("varchar");
            assertThat((Object[]) split.getArray()).containsExactly("a", "b", "", "c");
            assertThat((Object[]) resultSet.getArray(2).getArray()).containsExactly("blue", "red");
            assertThat((Object[]) resultSet.getArray(3).getArray()).containsExactly(1L, 2L, 3L);
            assertThat(resultSet.getInt(4)).isEqualTo(7);
            assertThat((Object[]) resultSet.getArray(5).getArray()).containsExactly("x");
            assertThat(resultSet.next()).isFalse();
        }
    }

    @Test
    void rowFieldsWithoutTableAlias()
            throws Exception
    {
        // as in Trino and Athena: info.a is field a of column info when no table is called info
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT info.a, info.b FROM shapes.nested WHERE info.a = 42")) {
            assertThat(resultSet.next()).isTrue();
            assertThat(resultSet.getInt(1)).isEqualTo(42);
            assertThat(resultSet.getString(2)).isEqualTo("hello");
            assertThat(resultSet.next()).isFalse();
        }
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement();
                ResultSet resultSet = statement.executeQuery("SELECT * FROM shapes.nested WHERE id = 1")) {
            // SELECT * does not expand the fields of a row column
            assertThat(resultSet.getMetaData().getColumnCount()).isEqualTo(4);
        }
        // a field is never a column by itself
        try (Connection connection = cluster.jdbc(); Statement statement = connection.createStatement()) {
            assertThatThrownBy(() -> statement.executeQuery("SELECT a FROM shapes.nested"))
                    .hasMessageContaining("line 1:8: Column 'a' cannot be resolved");
            assertThatThrownBy(() -> statement.executeQuery("SELECT info.zz FROM shapes.nested"))
                    .hasMessageContaining("line 1:13: Unknown field 'zz'");
        }
    }
}
