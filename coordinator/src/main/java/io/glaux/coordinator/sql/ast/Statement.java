package io.glaux.coordinator.sql.ast;

import static java.util.Objects.requireNonNull;

import org.apache.calcite.sql.parser.SqlParserPos;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The Athena/Hive statements Glaux's parser adds to Calcite's grammar (DDL, SHOW, DESCRIBE, USE,
 * MSCK REPAIR). The parser wraps each in a {@link SqlGlauxStatement}; {@code ddl.DdlExecutor} runs
 * them. Names are as written (unquoted ones folded to lower case); positions point into the SQL text
 * so that errors can say {@code line L:C}.
 */
public sealed interface Statement
{
    /** Where the statement starts. */
    SqlParserPos pos();

    /** A possibly qualified name ({@code t}, {@code db.t}, {@code catalog.db.t}). */
    record Name(List<String> parts, SqlParserPos pos)
    {
        public Name
        {
            parts = List.copyOf(parts);
            requireNonNull(pos, "pos is null");
        }

        @Override
        public String toString()
        {
            return String.join(".", parts);
        }
    }

    /** A value written in the text (a string, a number, a type) and where. */
    record Located<T>(T value, SqlParserPos pos)
    {
        public Located
        {
            requireNonNull(value, "value is null");
            requireNonNull(pos, "pos is null");
        }
    }

    /** {@code name type [COMMENT '...']}; the type is kept as written and parsed by the executor. */
    record ColumnDefinition(Located<String> name, Located<String> type, Optional<String> comment)
    {
        public ColumnDefinition
        {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
            requireNonNull(comment, "comment is null");
        }
    }

    /** {@code PARTITION (k = 'v', ...)}; values as written (string or number). */
    record PartitionSpec(List<Located<String>> keys, List<Located<String>> values, SqlParserPos pos)
    {
        public PartitionSpec
        {
            keys = List.copyOf(keys);
            values = List.copyOf(values);
            requireNonNull(pos, "pos is null");
        }
    }

    /** {@code CLUSTERED BY (c, ...) [SORTED BY (c [ASC|DESC], ...)] INTO n BUCKETS}. */
    record Bucketing(List<Located<String>> columns, List<Located<String>> sortedBy, List<Boolean> ascending, Located<Integer> buckets)
    {
        public Bucketing
        {
            columns = List.copyOf(columns);
            sortedBy = List.copyOf(sortedBy);
            ascending = List.copyOf(ascending);
            requireNonNull(buckets, "buckets is null");
        }
    }

    /** {@code ROW FORMAT DELIMITED ...} or {@code ROW FORMAT SERDE '...' [WITH SERDEPROPERTIES (...)]}. */
    sealed interface RowFormat permits Delimited, Serde {}

    /** The delimiters of {@code ROW FORMAT DELIMITED}, each as written (Hive escapes already decoded). */
    record Delimited(
            Optional<String> fieldsTerminatedBy,
            Optional<String> escapedBy,
            Optional<String> collectionItemsTerminatedBy,
            Optional<String> mapKeysTerminatedBy,
            Optional<String> linesTerminatedBy,
            Optional<String> nullDefinedAs,
            SqlParserPos pos)
            implements RowFormat {}

    record Serde(Located<String> className, Map<String, String> properties) implements RowFormat
    {
        public Serde
        {
            requireNonNull(className, "className is null");
            properties = Map.copyOf(properties);
        }
    }

    /** {@code STORED AS name} or {@code STORED AS INPUTFORMAT '...' OUTPUTFORMAT '...'}. */
    sealed interface StoredAs permits StoredAsName, StoredAsFormats {}

    record StoredAsName(Located<String> name) implements StoredAs {}

    record StoredAsFormats(Located<String> inputFormat, Located<String> outputFormat) implements StoredAs {}

    // --- schemas

    record CreateSchema(SqlParserPos pos, Name name, boolean ifNotExists, Optional<String> comment, Optional<Located<String>> location,
            Map<String, String> properties) implements Statement {}

    record DropSchema(SqlParserPos pos, Name name, boolean ifExists, boolean cascade) implements Statement {}

    record ShowSchemas(SqlParserPos pos, Optional<Name> catalog, Optional<String> like) implements Statement {}

    record ShowCatalogs(SqlParserPos pos, Optional<String> like) implements Statement {}

    record Use(SqlParserPos pos, Name name) implements Statement {}

    /**
     * {@code EXPLAIN [ANALYZE] [(option, ...)] query}; options as {@code NAME=VALUE} in upper case
     * ({@code TYPE=DISTRIBUTED}, {@code FORMAT=TEXT}).
     */
    record Explain(SqlParserPos pos, org.apache.calcite.sql.SqlNode query, boolean analyze, List<String> options) implements Statement
    {
        public Explain
        {
            requireNonNull(query, "query is null");
            options = List.copyOf(options);
        }
    }

    // --- tables

    record CreateTable(
            SqlParserPos pos,
            Name name,
            boolean external,
            boolean ifNotExists,
            List<ColumnDefinition> columns,
            Optional<String> comment,
            List<ColumnDefinition> partitionColumns,
            Optional<Bucketing> bucketing,
            Optional<RowFormat> rowFormat,
            Optional<StoredAs> storedAs,
            Optional<Located<String>> location,
            Map<String, String> properties)
            implements Statement
    {
        public CreateTable
        {
            columns = List.copyOf(columns);
            partitionColumns = List.copyOf(partitionColumns);
            properties = Map.copyOf(properties);
        }
    }

    record DropTable(SqlParserPos pos, Name name, boolean ifExists) implements Statement {}

    /**
     * {@code SHOW TABLES [FROM|IN schema] [LIKE 'pattern' | 'pattern']}: {@code like} is a SQL LIKE
     * pattern, {@code pattern} Athena's (and Hive's) form, where {@code *} is any text and {@code |}
     * separates alternatives.
     */
    record ShowTables(SqlParserPos pos, Optional<Name> schema, Optional<String> like, Optional<String> pattern) implements Statement {}

    record ShowCreateTable(SqlParserPos pos, Name name) implements Statement {}

    /** {@code DESCRIBE [FORMATTED] t} and {@code SHOW COLUMNS FROM|IN t} ({@code formatted} false). */
    record Describe(SqlParserPos pos, Name name, boolean formatted) implements Statement {}

    record ShowPartitions(SqlParserPos pos, Name name) implements Statement {}

    record ShowTableProperties(SqlParserPos pos, Name name, Optional<String> key) implements Statement {}

    // --- ALTER TABLE

    record AddPartition(PartitionSpec spec, Optional<Located<String>> location) {}

    record AddPartitions(SqlParserPos pos, Name name, boolean ifNotExists, List<AddPartition> partitions) implements Statement
    {
        public AddPartitions
        {
            partitions = List.copyOf(partitions);
        }
    }

    record DropPartitions(SqlParserPos pos, Name name, boolean ifExists, List<PartitionSpec> partitions) implements Statement
    {
        public DropPartitions
        {
            partitions = List.copyOf(partitions);
        }
    }

    record SetPartitionLocation(SqlParserPos pos, Name name, PartitionSpec partition, Located<String> location) implements Statement {}

    /** {@code ADD COLUMNS} ({@code replace} false) or {@code REPLACE COLUMNS}. */
    record ChangeColumns(SqlParserPos pos, Name name, boolean replace, List<ColumnDefinition> columns) implements Statement
    {
        public ChangeColumns
        {
            columns = List.copyOf(columns);
        }
    }

    /**
     * {@code CHANGE [COLUMN] old new type [COMMENT '..'] [FIRST | AFTER column]}: renames a data column,
     * changes its type or comment, or moves it.
     */
    record ChangeColumn(SqlParserPos pos, Name name, Located<String> column, ColumnDefinition definition, boolean first, Optional<Located<String>> after)
            implements Statement {}

    /** {@code RENAME TO new_name}, which Athena does not support for Hive tables. */
    record RenameTable(SqlParserPos pos, Name name, Name target) implements Statement {}

    record SetTableProperties(SqlParserPos pos, Name name, Map<String, String> properties) implements Statement
    {
        public SetTableProperties
        {
            properties = Map.copyOf(properties);
        }
    }

    /** {@code MSCK REPAIR TABLE t [ADD | DROP | SYNC PARTITIONS]}: which way the metastore is brought in line with the object store. */
    record MsckRepair(SqlParserPos pos, Name name, boolean add, boolean drop) implements Statement {}

    // --- views

    /** {@code CREATE [OR REPLACE] VIEW name AS query}; the query is the statement's text from {@code queryPos} on. */
    record CreateView(SqlParserPos pos, Name name, boolean replace, SqlParserPos queryPos) implements Statement {}

    record DropView(SqlParserPos pos, Name name, boolean ifExists) implements Statement {}

    record ShowCreateView(SqlParserPos pos, Name name) implements Statement {}

    // --- client statements: the session and its prepared statements (run by the statement runner)

    /**
     * The statements that show or change what the client carries from statement to statement: session
     * properties and prepared statements. The statement runner runs them; the changes go back to the
     * client in the protocol's response headers.
     */
    sealed interface ClientStatement extends Statement
            permits SetSession, ResetSession, ShowSession, Prepare, Execute, ExecuteImmediate, Deallocate, DescribeInput, DescribeOutput {}

    /** {@code SET SESSION name = value}. */
    record SetSession(SqlParserPos pos, Name name, org.apache.calcite.sql.SqlNode value) implements ClientStatement
    {
        public SetSession
        {
            requireNonNull(name, "name is null");
            requireNonNull(value, "value is null");
        }
    }

    /** {@code RESET SESSION name}. */
    record ResetSession(SqlParserPos pos, Name name) implements ClientStatement {}

    /** {@code SHOW SESSION [LIKE 'pattern']}. */
    record ShowSession(SqlParserPos pos, Optional<String> like) implements ClientStatement {}

    /** {@code PREPARE name FROM statement}; the statement is the text from {@code statementPos} on. */
    record Prepare(SqlParserPos pos, Located<String> name, SqlParserPos statementPos) implements ClientStatement {}

    /** {@code EXECUTE name [USING value, ...]}. */
    record Execute(SqlParserPos pos, Located<String> name, List<org.apache.calcite.sql.SqlNode> parameters) implements ClientStatement
    {
        public Execute
        {
            parameters = List.copyOf(parameters);
        }
    }

    /** {@code EXECUTE IMMEDIATE 'statement' [USING value, ...]}. */
    record ExecuteImmediate(SqlParserPos pos, Located<String> statement, List<org.apache.calcite.sql.SqlNode> parameters) implements ClientStatement
    {
        public ExecuteImmediate
        {
            parameters = List.copyOf(parameters);
        }
    }

    /** {@code DEALLOCATE PREPARE name}. */
    record Deallocate(SqlParserPos pos, Located<String> name) implements ClientStatement {}

    /** {@code DESCRIBE INPUT name}: the parameters of a prepared statement. */
    record DescribeInput(SqlParserPos pos, Located<String> name) implements ClientStatement {}

    /** {@code DESCRIBE OUTPUT name}: the result columns of a prepared statement. */
    record DescribeOutput(SqlParserPos pos, Located<String> name) implements ClientStatement {}

    // --- metadata statements

    /** {@code SHOW CREATE SCHEMA [catalog.]schema}. */
    record ShowCreateSchema(SqlParserPos pos, Name name) implements Statement {}

    /** {@code SHOW FUNCTIONS [LIKE 'pattern']}. */
    record ShowFunctions(SqlParserPos pos, Optional<String> like) implements Statement {}

    /** {@code SHOW STATS FOR table}. */
    record ShowStats(SqlParserPos pos, Name name) implements Statement {}

    /** {@code ANALYZE table}: computes the table's statistics into the metastore. */
    record Analyze(SqlParserPos pos, Name name) implements Statement {}
}
