package io.glaux.connectors.parquet;

import static io.glaux.connectors.parquet.CanonicalValues.list;
import static io.glaux.connectors.parquet.CanonicalValues.map;
import static io.glaux.connectors.parquet.CanonicalValues.struct;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.connectors.predicate.TupleDomain;
import io.glaux.connectors.split.Split;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.example.data.simple.SimpleGroupFactory;
import org.apache.parquet.schema.MessageType;
import org.apache.parquet.schema.MessageTypeParser;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Arrays, maps and rows at any depth, with nulls at every level, from files parquet-java and DuckDB wrote. */
class ParquetNestedTypesTest
        extends ParquetTestBase
{
    // ------------------------------------------------------------------ parquet-java

    static final MessageType NESTED = MessageTypeParser.parseMessageType("""
            message nested {
              required int64 id;
              optional group tags (LIST) {
                repeated group list {
                  optional binary element (STRING);
                }
              }
              optional group point {
                optional double x;
                optional double y;
                optional group inner {
                  optional int32 z;
                }
              }
              optional group attrs (MAP) {
                repeated group key_value {
                  required binary key (STRING);
                  optional int64 value;
                }
              }
              optional group matrix (LIST) {
                repeated group list {
                  optional group element (LIST) {
                    repeated group list {
                      optional int32 element;
                    }
                  }
                }
              }
              optional group events (LIST) {
                repeated group list {
                  optional group element {
                    optional binary name (STRING);
                    optional group props (MAP) {
                      repeated group key_value {
                        required binary key (STRING);
                        optional group value (LIST) {
                          repeated group list {
                            optional double element;
                          }
                        }
                      }
                    }
                  }
                }
              }
              repeated int32 bare_ints;
              optional group two_level (LIST) {
                repeated int32 element;
              }
              optional group legacy_structs (LIST) {
                repeated group array {
                  optional binary s (STRING);
                }
              }
            }
            """);

    static final List<ColumnHandle> NESTED_COLUMNS = columns(
            "id bigint",
            "tags array(varchar)",
            "point row(x double, y double, inner row(z integer))",
            "attrs map(varchar, bigint)",
            "matrix array(array(integer))",
            "events array(row(name varchar, props map(varchar, array(double))))",
            "bare_ints array(integer)",
            "two_level array(integer)",
            "legacy_structs array(row(s varchar))");

    /** The rows of the nested file, in canonical form; {@link #writeNested} writes exactly these. */
    static List<Object> expectedNested(long i)
    {
        List<Object> tags = null;
        if (i % 5 == 1) {
            tags = list();
        }
        else if (i % 5 != 0) {
            tags = list();
            for (int j = 0; j <= i % 4; j++) {
                tags.add(j == 1 && i % 3 == 0 ? null : "t" + i + "_" + j);
            }
        }
        Map<String, Object> point = null;
        if (i % 6 != 0) {
            Map<String, Object> inner = i % 5 == 0 ? null : struct("z", i % 7 == 0 ? null : i);
            point = struct("x", i * 0.5, "y", i % 4 == 0 ? null : (double) -i, "inner", inner);
        }
        Map<Object, Object> attrs = null;
        if (i % 7 == 1) {
            attrs = map();
        }
        else if (i % 7 != 0) {
            attrs = map();
            for (int j = 0; j <= i % 3; j++) {
                attrs.put("k" + j, j == 1 ? null : i * 10 + j);
            }
        }
        List<Object> matrix = null;
        if (i % 8 != 0) {
            matrix = list();
            for (int k = 0; k < i % 4; k++) {
                if (k == 1 && i % 2 == 0) {
                    matrix.add(null);
                }
                else if (k == 2) {
                    matrix.add(list());
                }
                else {
                    List<Object> row = list();
                    for (int m = 0; m <= i % 3; m++) {
                        row.add(m == 1 ? null : i + m);
                    }
                    matrix.add(row);
                }
            }
        }
        List<Object> events = null;
        if (i % 9 == 1) {
            events = list();
        }
        else if (i % 9 != 0) {
            events = list();
            for (int e = 0; e <= i % 2; e++) {
                if (e == 1 && i % 4 == 1) {
                    events.add(null);
                    continue;
                }
                Map<Object, Object> props = null;
                if (i % 3 == 1) {
                    props = map("p", list(i * 1.5, null), "q", list());
                }
                else if (i % 3 == 2) {
                    props = map("r", null);
                }
                events.add(struct("name", e == 0 && i % 5 == 2 ? null : "ev" + i + "_" + e, "props", props));
            }
        }
        List<Object> bareInts = list();
        for (int m = 0; m < i % 4; m++) {
            bareInts.add(i * 100 + m);
        }
        List<Object> twoLevel = null;
        if (i % 10 != 0) {
            twoLevel = list();
            for (int m = 0; m < i % 3; m++) {
                twoLevel.add(i + m);
            }
        }
        List<Object> legacyStructs = null;
        if (i % 11 != 0) {
            legacyStructs = list();
            for (int m = 0; m < i % 2; m++) {
                legacyStructs.add(struct("s", i % 3 == 0 ? null : "s" + i));
            }
        }
        return list(i, tags, point, attrs, matrix, events, bareInts, twoLevel, legacyStructs);
    }

    @SuppressWarnings("unchecked")
    static void writeNested(ParquetTestFiles.Writer writer, int rows)
    {
        SimpleGroupFactory factory = new SimpleGroupFactory(NESTED);
        for (long i = 0; i < rows; i++) {
            List<Object> row = expectedNested(i);
            Group group = factory.newGroup().append("id", i);
            if (row.get(1) instanceof List<?> tags) {
                Group list = group.addGroup("tags");
                for (Object tag : tags) {
                    Group element = list.addGroup("list");
                    if (tag != null) {
                        element.append("element", (String) tag);
                    }
                }
            }
            if (row.get(2) instanceof Map<?, ?> point) {
                Group p = group.addGroup("point");
                p.append("x", (Double) point.get("x"));
                if (point.get("y") != null) {
                    p.append("y", (Double) point.get("y"));
                }
                if (point.get("inner") instanceof Map<?, ?> inner) {
                    Group in = p.addGroup("inner");
                    if (inner.get("z") != null) {
                        in.append("z", (int) (long) (Long) inner.get("z"));
                    }
                }
            }
            if (row.get(3) instanceof Map<?, ?> attrs) {
                Group map = group.addGroup("attrs");
                for (Map.Entry<?, ?> entry : attrs.entrySet()) {
                    Group kv = map.addGroup("key_value").append("key", (String) entry.getKey());
                    if (entry.getValue() != null) {
                        kv.append("value", (Long) entry.getValue());
                    }
                }
            }
            if (row.get(4) instanceof List<?> matrix) {
                Group outer = group.addGroup("matrix");
                for (Object inner : matrix) {
                    Group element = outer.addGroup("list");
                    if (inner instanceof List<?> values) {
                        Group innerList = element.addGroup("element");
                        for (Object value : values) {
                            Group innerElement = innerList.addGroup("list");
                            if (value != null) {
                                innerElement.append("element", (int) (long) (Long) value);
                            }
                        }
                    }
                }
            }
            if (row.get(5) instanceof List<?> events) {
                Group list = group.addGroup("events");
                for (Object event : events) {
                    Group element = list.addGroup("list");
                    if (event instanceof Map<?, ?> struct) {
                        Group e = element.addGroup("element");
                        if (struct.get("name") != null) {
                            e.append("name", (String) struct.get("name"));
                        }
                        if (struct.get("props") instanceof Map<?, ?> props) {
                            Group map = e.addGroup("props");
                            for (Map.Entry<?, ?> entry : props.entrySet()) {
                                Group kv = map.addGroup("key_value").append("key", (String) entry.getKey());
                                if (entry.getValue() instanceof List<?> doubles) {
                                    Group values = kv.addGroup("value");
                                    for (Object d : doubles) {
                                        Group v = values.addGroup("list");
                                        if (d != null) {
                                            v.append("element", (Double) d);
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
            for (Object value : (List<Object>) row.get(6)) {
                group.append("bare_ints", (int) (long) (Long) value);
            }
            if (row.get(7) instanceof List<?> values) {
                Group list = group.addGroup("two_level");
                for (Object value : values) {
                    list.append("element", (int) (long) (Long) value);
                }
            }
            if (row.get(8) instanceof List<?> structs) {
                Group list = group.addGroup("legacy_structs");
                for (Object struct : structs) {
                    Group element = list.addGroup("array");
                    Object s = ((Map<?, ?>) struct).get("s");
                    if (s != null) {
                        element.append("s", (String) s);
                    }
                }
            }
            writer.write(group);
        }
    }

    private Split nestedFile(String key, ParquetTestFiles.WriteOptions options, int rows)
    {
        Path file = ParquetTestFiles.write(directory, NESTED, options, writer -> writeNested(writer, rows));
        return upload(key, file);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 7, 1000, 8192})
    void nestedColumnsFromParquetJava(int batchSize)
    {
        int rows = 5_000;
        Split split = nestedFile("nested/parquet-java-" + batchSize + ".parquet",
                ParquetTestFiles.WriteOptions.defaults().withRowGroupRows(1_700).withPageRows(300), rows);
        Scan scan = scan(new ParquetPageSourceFactory(store, batchSize), split, NESTED_COLUMNS, TupleDomain.all());
        assertThat(scan.rowGroupsRead()).isEqualTo(3);
        assertThat(scan.rows()).hasSize(rows);
        for (int i = 0; i < rows; i++) {
            assertThat(scan.rows().get(i)).as("row %d", i).isEqualTo(expectedNested(i));
        }
    }

    @Test
    void nestedRowsAtEveryLevelOfNull()
    {
        Split split = nestedFile("nested/spot-checks.parquet", ParquetTestFiles.WriteOptions.defaults(), 100);
        List<List<Object>> rows = scan(new ParquetPageSourceFactory(store), split, NESTED_COLUMNS, TupleDomain.all()).rows();
        // null list, empty list, list with a null element
        assertThat(rows.get(0).get(1)).isNull();
        assertThat(rows.get(1).get(1)).isEqualTo(list());
        assertThat(rows.get(3).get(1)).isEqualTo(list("t3_0", null, "t3_2", "t3_3"));
        // null row, row with a null field, nested null row
        assertThat(rows.get(0).get(2)).isNull();
        assertThat(rows.get(4).get(2)).isEqualTo(struct("x", 2.0, "y", null, "inner", struct("z", 4L)));
        assertThat(rows.get(5).get(2)).isEqualTo(struct("x", 2.5, "y", -5.0, "inner", null));
        assertThat(rows.get(7).get(2)).isEqualTo(struct("x", 3.5, "y", -7.0, "inner", struct("z", null)));
        // null map, empty map, map with a null value
        assertThat(rows.get(7).get(3)).isNull();
        assertThat(rows.get(8).get(3)).isEqualTo(map());
        assertThat(rows.get(4).get(3)).isEqualTo(map("k0", 40L, "k1", null));
        // array of arrays with null and empty inner arrays
        assertThat(rows.get(3).get(4)).isEqualTo(list(list(3L), list(3L), list()));
        assertThat(rows.get(10).get(4)).isEqualTo(list(list(10L, null), null));
        // array of rows holding maps of arrays
        assertThat(rows.get(13).get(5)).isEqualTo(list(struct("name", "ev13_0", "props", map("p", list(19.5, null), "q", list())), null));
        // bare repeated field: never null, empty when absent; 2-level and "array"-named legacy lists
        assertThat(rows.get(4).get(6)).isEqualTo(list());
        assertThat(rows.get(10).get(7)).isNull();
        assertThat(rows.get(2).get(7)).isEqualTo(list(2L, 3L));
        assertThat(rows.get(3).get(8)).isEqualTo(list(struct("s", null)));
        assertThat(rows.get(11).get(8)).isNull();
    }

    @Test
    void nestedFileAgreesWithDuckDb()
    {
        Path file = ParquetTestFiles.write(directory, NESTED, ParquetTestFiles.WriteOptions.defaults().withRowGroupRows(400), writer -> writeNested(writer, 1_000));
        Split split = upload("nested/duckdb-oracle.parquet", file);
        List<List<Object>> glaux = scan(new ParquetPageSourceFactory(store, 333), split, NESTED_COLUMNS.subList(0, 8), TupleDomain.all()).rows();
        List<List<Object>> duck = duckdb.query("SELECT id, tags, point, attrs, matrix, events, bare_ints, two_level FROM read_parquet('%s')".formatted(file));
        assertThat(glaux).isEqualTo(duck);

        // "repeated group array { optional binary s }": the spec makes the group the element (a row);
        // DuckDB reads its one field as the element. Glaux does either, as the table's type says.
        List<List<Object>> asStrings = scan(new ParquetPageSourceFactory(store), split, columns("legacy_structs array(varchar)"), TupleDomain.all()).rows();
        assertThat(asStrings).isEqualTo(duckdb.query("SELECT legacy_structs FROM read_parquet('%s')".formatted(file)));
        assertThat(asStrings.get(5)).isEqualTo(list(list("s5")));
    }

    @Test
    void nestedSchemaOnRead()
    {
        Split split = nestedFile("nested/schema-on-read.parquet", ParquetTestFiles.WriteOptions.defaults(), 50);
        ParquetPageSourceFactory factory = new ParquetPageSourceFactory(store, 16);
        // fields matched case-insensitively, missing fields NULL, extra file fields not read, a row with no field in the file
        List<List<Object>> rows = scan(factory, split, columns(
                "POINT row(\"Y\" double, w varchar, inner row(q bigint))",
                "events array(row(\"NAME\" varchar))",
                "matrix array(array(bigint))",
                "attrs map(varchar, double)"), TupleDomain.all()).rows();
        assertThat(rows).hasSize(50);
        assertThat(rows.get(0).get(0)).isNull();
        assertThat(rows.get(4).get(0)).isEqualTo(struct("Y", null, "w", null, "inner", struct("q", null)));
        assertThat(rows.get(5).get(0)).isEqualTo(struct("Y", -5.0, "w", null, "inner", null));
        assertThat(rows.get(13).get(1)).isEqualTo(list(struct("NAME", "ev13_0"), null));
        assertThat(rows.get(10).get(2)).isEqualTo(list(list(10L, null), null));
        assertThat(rows.get(4).get(3)).isEqualTo(map("k0", 40.0, "k1", null));

        // nested columns the file does not have: all NULL
        List<List<Object>> missing = scan(factory, split, columns("id bigint", "no_list array(varchar)", "no_row row(a bigint, b array(double))",
                "no_map map(varchar, row(c bigint))"), TupleDomain.all()).rows();
        assertThat(missing).hasSize(50).allMatch(row -> row.get(1) == null && row.get(2) == null && row.get(3) == null);

        // the same nested column twice (the second is a copy)
        List<List<Object>> twice = scan(factory, split, columns("events array(row(name varchar, props map(varchar, array(double))))", "point row(x double)",
                "EVENTS array(row(name varchar, props map(varchar, array(double))))"), TupleDomain.all()).rows();
        for (int i = 0; i < twice.size(); i++) {
            assertThat(twice.get(i).get(2)).isEqualTo(twice.get(i).get(0)).isEqualTo(expectedNested(i).get(5));
        }

        for (String[] wrong : List.of(
                new String[] {"point array(double)", "point"},
                new String[] {"tags row(a varchar)", "tags"},
                new String[] {"id array(bigint)", "id"},
                new String[] {"tags array(bigint)", "tags"},
                new String[] {"attrs array(varchar)", "attrs"},
                new String[] {"bare_ints integer", "bare_ints"},
                new String[] {"tags map(varchar, varchar)", "tags"})) {
            assertThatThrownBy(() -> scan(factory, split, columns(wrong[0]), TupleDomain.all()))
                    .as(wrong[0])
                    .isInstanceOfSatisfying(GlauxException.class, e -> {
                        assertThat(e.errorCode()).isEqualTo(ErrorCode.BAD_DATA);
                        assertThat(e.getMessage()).contains("s3://parquet-test/nested/schema-on-read.parquet").contains("'" + wrong[1] + "'");
                    });
        }
    }

    // ------------------------------------------------------------------ DuckDB

    /** Nested columns built from {@code i} with NULLs at every level; DuckDB writes them, DuckDB is the oracle. */
    static final String DUCKDB_NESTED = """
            SELECT
              i AS id,
              CASE WHEN i % 5 = 0 THEN NULL WHEN i % 5 = 1 THEN []::VARCHAR[]
                   ELSE list_transform(range(i % 4 + 1), lambda j: CASE WHEN j = 1 AND i % 3 = 0 THEN NULL ELSE 't' || i || '_' || j END) END AS tags,
              CASE WHEN i % 6 = 0 THEN NULL ELSE {
                  'a': CASE WHEN i % 4 = 0 THEN NULL ELSE i::INTEGER END,
                  'b': CASE WHEN i % 7 = 0 THEN NULL ELSE list_transform(range(i % 3), lambda j: 'b' || j) END,
                  'c': CASE WHEN i % 5 = 0 THEN NULL ELSE {
                      'd': i / 4,
                      'e': CASE WHEN i % 2 = 0 THEN NULL ELSE map_from_entries(list_transform(range(i % 3), lambda j: ('e' || j, CASE WHEN j = 1 THEN NULL ELSE (i + j)::INTEGER END))) END
                  } END
              } END AS st,
              CASE WHEN i % 7 = 0 THEN NULL
                   ELSE map_from_entries(list_transform(range(i % 3), lambda j: ('m' || j, CASE WHEN j = 2 THEN NULL ELSE {
                       'x': CASE WHEN i % 2 = 0 THEN NULL ELSE list_transform(range(j + 1), lambda k: CASE WHEN k = 1 THEN NULL ELSE (i * k)::INTEGER END) END,
                       'y': 'y' || i} END))) END AS m,
              CASE WHEN i % 8 = 0 THEN NULL
                   ELSE list_transform(range(i % 3), lambda a: CASE WHEN a = 1 AND i % 2 = 0 THEN NULL
                        ELSE list_transform(range(a + 1), lambda b: CASE WHEN b = 1 THEN NULL ELSE list_transform(range(b + i % 2), lambda c: (i + a + b + c)::INTEGER) END) END) END AS deep,
              CASE WHEN i % 9 = 0 THEN NULL
                   ELSE list_transform(range(i % 4), lambda j: CASE WHEN j = 2 THEN NULL ELSE {'k': 'k' || j, 'v': CASE WHEN j = 1 THEN NULL ELSE i * j END} END) END AS los,
              CASE WHEN i % 4 = 0 THEN NULL ELSE [(i / 8)::DECIMAL(18, 3), NULL, -i::DECIMAL(18, 3)] END AS decs,
              CASE WHEN i % 3 = 0 THEN NULL ELSE [DATE '2024-01-01' + i::INTEGER, NULL] END AS dates,
              [i % 2 = 0, NULL] AS bools
            FROM range($ROWS) t(i)
            """;

    static final List<ColumnHandle> DUCKDB_NESTED_COLUMNS = columns(
            "id bigint",
            "tags array(varchar)",
            "st row(a integer, b array(varchar), c row(d double, e map(varchar, integer)))",
            "m map(varchar, row(x array(integer), y varchar))",
            "deep array(array(array(integer)))",
            "los array(row(k varchar, v bigint))",
            "decs array(decimal(18,3))",
            "dates array(date)",
            "bools array(boolean)");

    @ParameterizedTest
    @ValueSource(strings = {"", "ROW_GROUP_SIZE 2048", "PARQUET_VERSION v2, ROW_GROUP_SIZE 3000", "COMPRESSION zstd, ROW_GROUP_SIZE 1000"})
    void nestedColumnsFromDuckDb(String options)
    {
        int rows = 10_000;
        Path file = newFile("duckdb-nested-" + Math.abs(options.hashCode()) + ".parquet");
        duckdb.copy(DUCKDB_NESTED.replace("$ROWS", Integer.toString(rows)), file, options);
        Split split = upload("nested/duckdb-" + Math.abs(options.hashCode()) + ".parquet", file);
        Scan scan = scan(new ParquetPageSourceFactory(store, 999), split, DUCKDB_NESTED_COLUMNS, TupleDomain.all());
        List<List<Object>> expected = duckdb.query("SELECT * FROM read_parquet('%s')".formatted(file));
        assertThat(scan.rows()).hasSize(rows);
        for (int i = 0; i < rows; i++) {
            assertThat(scan.rows().get(i)).as("row %d", i).isEqualTo(expected.get(i));
        }
    }

    @Test
    void duckDbNestedSpotChecks()
    {
        Path file = newFile("duckdb-nested-spot.parquet");
        duckdb.copy(DUCKDB_NESTED.replace("$ROWS", "40"), file, "");
        Split split = upload("nested/duckdb-spot.parquet", file);
        List<List<Object>> rows = scan(new ParquetPageSourceFactory(store), split, DUCKDB_NESTED_COLUMNS, TupleDomain.all()).rows();
        List<Object> row = new ArrayList<>(rows.get(11));
        assertThat(row.get(2)).isEqualTo(struct("a", 11L, "b", list("b0", "b1"), "c", struct("d", 2.75, "e", map("e0", 11L, "e1", null))));
        assertThat(row.get(3)).isEqualTo(map("m0", struct("x", list(0L), "y", "y11"), "m1", struct("x", list(0L, null), "y", "y11")));
        assertThat(row.get(4)).isEqualTo(list(list(list(11L)), list(list(12L), null)));
        assertThat(row.get(5)).isEqualTo(list(struct("k", "k0", "v", 0L), struct("k", "k1", "v", null), null));
        assertThat(rows.get(0).get(4)).isNull();
        assertThat(rows.get(9).get(5)).isNull();
        assertThat(rows.get(12).get(5)).isEqualTo(list());
    }
}
