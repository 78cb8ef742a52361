<#--
  Glaux's Athena/Hive statements, included into Calcite's Parser.jj by FMPP. Each statement
  production builds a record of io.glaux.coordinator.sql.ast.Statement and returns it wrapped in a
  SqlGlauxStatement; io.glaux.coordinator.ddl.DdlExecutor runs it. The productions are listed in
  config.fmpp ("statementParserMethods") and tried before Calcite's own statements.
-->

/**
 * One part of a name in a Glaux statement: an identifier, a non-reserved word (including the type
 * words Hive tables often use as column names: date, time, timestamp), "double quoted" or
 * `back quoted`.
 */
Statement.Located<String> GlauxNamePart() :
{
    final String id;
}
{
    <HIVE_QUOTED_IDENTIFIER> {
        return new Statement.Located<String>(ParserSupport.backQuoted(token.image), getPos());
    }
|
    id = Identifier() {
        return new Statement.Located<String>(id, getPos());
    }
}

/** {@code a}, {@code a.b}, {@code a.b.c}. */
Statement.Name GlauxName() :
{
    final List<String> parts = new ArrayList<String>();
    Statement.Located<String> part;
    final SqlParserPos pos;
}
{
    part = GlauxNamePart() { parts.add(part.value()); pos = part.pos(); }
    (
        <DOT> part = GlauxNamePart() { parts.add(part.value()); }
    )*
    {
        return new Statement.Name(parts, pos);
    }
}

/** A 'single quoted' string with Hive's backslash escapes decoded. */
Statement.Located<String> GlauxString() :
{
}
{
    <QUOTED_STRING> {
        return new Statement.Located<String>(ParserSupport.hiveString(token.image), getPos());
    }
}

/** A 'single' or "double" quoted string: Athena writes property keys and values either way. */
Statement.Located<String> GlauxPropertyString() :
{
    final Statement.Located<String> value;
}
{
    value = GlauxString() { return value; }
|
    <QUOTED_IDENTIFIER> {
        return new Statement.Located<String>(ParserSupport.hiveString(token.image), getPos());
    }
}

/** {@code ('key' = 'value', ...)}. */
Map<String, String> GlauxProperties() :
{
    final Map<String, String> properties = new LinkedHashMap<String, String>();
}
{
    <LPAREN>
    GlauxProperty(properties)
    ( <COMMA> GlauxProperty(properties) )*
    <RPAREN>
    {
        return properties;
    }
}

void GlauxProperty(Map<String, String> properties) :
{
    final Statement.Located<String> key;
    final Statement.Located<String> value;
}
{
    key = GlauxPropertyString() <EQ> value = GlauxPropertyString() {
        properties.put(key.value(), value.value());
    }
}

/**
 * A Hive column type as written: the tokens up to the next ',' or ')' outside brackets, or up to
 * COMMENT, FIRST or AFTER. The executor parses the text (io.glaux.spi.type.TypeParser) and reports
 * errors at its position.
 */
JAVACODE Statement.Located<String> GlauxTypeText()
{
    final Token first = getToken(1);
    final SqlParserPos pos = new SqlParserPos(first.beginLine, first.beginColumn, first.endLine, first.endColumn);
    final StringBuilder text = new StringBuilder();
    int depth = 0;
    Token previous = null;
    while (true) {
        final Token next = getToken(1);
        if (next.kind == EOF) {
            break;
        }
        if (depth == 0 && (next.kind == COMMA || next.kind == RPAREN || next.kind == COMMENT || next.kind == FIRST || next.kind == AFTER)) {
            break;
        }
        if (next.kind == LT || next.kind == LPAREN) {
            depth++;
        }
        else if (next.kind == GT || next.kind == RPAREN) {
            depth--;
        }
        getNextToken();
        if (previous != null && ParserSupport.isWord(previous.image) && ParserSupport.isWord(next.image)) {
            text.append(' ');
        }
        text.append(next.image);
        previous = next;
    }
    if (text.length() == 0) {
        throw generateParseException();
    }
    return new Statement.Located<String>(text.toString(), pos);
}

Statement.ColumnDefinition GlauxColumn() :
{
    final Statement.Located<String> name;
    final Statement.Located<String> type;
    Statement.Located<String> comment = null;
}
{
    name = GlauxNamePart()
    type = GlauxTypeText()
    [ <COMMENT> comment = GlauxString() ]
    {
        return new Statement.ColumnDefinition(name, type, comment == null ? Optional.<String>empty() : Optional.of(comment.value()));
    }
}

List<Statement.ColumnDefinition> GlauxColumns() :
{
    final List<Statement.ColumnDefinition> columns = new ArrayList<Statement.ColumnDefinition>();
    Statement.ColumnDefinition column;
}
{
    <LPAREN>
    column = GlauxColumn() { columns.add(column); }
    ( <COMMA> column = GlauxColumn() { columns.add(column); } )*
    <RPAREN>
    {
        return columns;
    }
}

List<Statement.Located<String>> GlauxNameList() :
{
    final List<Statement.Located<String>> names = new ArrayList<Statement.Located<String>>();
    Statement.Located<String> name;
}
{
    <LPAREN>
    name = GlauxNamePart() { names.add(name); }
    ( <COMMA> name = GlauxNamePart() { names.add(name); } )*
    <RPAREN>
    {
        return names;
    }
}

/** A partition value: a string or a number. */
Statement.Located<String> GlauxPartitionValue() :
{
    final Statement.Located<String> value;
    String sign = "";
    final SqlParserPos pos;
}
{
    value = GlauxPropertyString() { return value; }
|
    [ <MINUS> { sign = "-"; } ]
    ( <UNSIGNED_INTEGER_LITERAL> | <DECIMAL_NUMERIC_LITERAL> ) {
        return new Statement.Located<String>(sign + token.image, getPos());
    }
}

/** {@code PARTITION (k = v, ...)}. */
Statement.PartitionSpec GlauxPartitionSpec() :
{
    final List<Statement.Located<String>> keys = new ArrayList<Statement.Located<String>>();
    final List<Statement.Located<String>> values = new ArrayList<Statement.Located<String>>();
    Statement.Located<String> key;
    Statement.Located<String> value;
    final SqlParserPos pos;
}
{
    <PARTITION> { pos = getPos(); }
    <LPAREN>
    key = GlauxNamePart() <EQ> value = GlauxPartitionValue() { keys.add(key); values.add(value); }
    (
        <COMMA> key = GlauxNamePart() <EQ> value = GlauxPartitionValue() { keys.add(key); values.add(value); }
    )*
    <RPAREN>
    {
        return new Statement.PartitionSpec(keys, values, pos);
    }
}

boolean GlauxIfNotExists() :
{
}
{
    [
        LOOKAHEAD(2) <IF> <NOT> <EXISTS> { return true; }
    ]
    {
        return false;
    }
}

boolean GlauxIfExists() :
{
}
{
    [
        LOOKAHEAD(2) <IF> <EXISTS> { return true; }
    ]
    {
        return false;
    }
}

Optional<String> GlauxLike() :
{
    final Statement.Located<String> pattern;
}
{
    [
        <LIKE> pattern = GlauxString() { return Optional.of(pattern.value()); }
    ]
    {
        return Optional.empty();
    }
}

/**
 * CREATE [OR REPLACE] VIEW name AS query
 * CREATE DATABASE|SCHEMA [IF NOT EXISTS] db [COMMENT '..'] [LOCATION '..'] [WITH DBPROPERTIES (..)]
 * CREATE [EXTERNAL] TABLE [IF NOT EXISTS] name [(columns)] [COMMENT '..'] [PARTITIONED BY (columns)]
 *     [CLUSTERED BY (..) [SORTED BY (..)] INTO n BUCKETS] [ROW FORMAT ..] [STORED AS ..]
 *     [LOCATION '..'] [TBLPROPERTIES (..)]
 */
SqlNode GlauxCreate() :
{
    final Span s;
    final Statement.Name name;
    boolean ifNotExists = false;
    boolean external = false;
    Statement.Located<String> comment = null;
    Statement.Located<String> location = null;
    Map<String, String> properties = new LinkedHashMap<String, String>();
    List<Statement.ColumnDefinition> columns = new ArrayList<Statement.ColumnDefinition>();
    List<Statement.ColumnDefinition> partitionColumns = new ArrayList<Statement.ColumnDefinition>();
    Statement.Bucketing bucketing = null;
    Statement.RowFormat rowFormat = null;
    Statement.StoredAs storedAs = null;
    boolean replace = false;
    Token queryStart;
    SqlNode query;
}
{
    <CREATE> { s = span(); }
    (
        [ <OR> <REPLACE> { replace = true; } ]
        <VIEW> name = GlauxName()
        <AS> { queryStart = getToken(1); }
        query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
        {
            return new SqlGlauxStatement(new Statement.CreateView(s.pos(), name, replace,
                new SqlParserPos(queryStart.beginLine, queryStart.beginColumn, queryStart.endLine, queryStart.endColumn)));
        }
    |
        ( <DATABASE> | <SCHEMA> )
        ifNotExists = GlauxIfNotExists()
        name = GlauxName()
        [ <COMMENT> comment = GlauxString() ]
        [ <LOCATION> location = GlauxString() ]
        [ <WITH> <DBPROPERTIES> properties = GlauxProperties() ]
        {
            return new SqlGlauxStatement(new Statement.CreateSchema(s.pos(), name, ifNotExists,
                comment == null ? Optional.<String>empty() : Optional.of(comment.value()),
                Optional.ofNullable(location), properties));
        }
    |
        [ <EXTERNAL> { external = true; } ]
        <TABLE>
        ifNotExists = GlauxIfNotExists()
        name = GlauxName()
        [ columns = GlauxColumns() ]
        [ <COMMENT> comment = GlauxString() ]
        [ <PARTITIONED> <BY> partitionColumns = GlauxColumns() ]
        [ bucketing = GlauxBucketing() ]
        [ rowFormat = GlauxRowFormat() ]
        [ storedAs = GlauxStoredAs() ]
        [ <LOCATION> location = GlauxString() ]
        [ <TBLPROPERTIES> properties = GlauxProperties() ]
        {
            return new SqlGlauxStatement(new Statement.CreateTable(s.pos(), name, external, ifNotExists, columns,
                comment == null ? Optional.<String>empty() : Optional.of(comment.value()),
                partitionColumns, Optional.ofNullable(bucketing), Optional.ofNullable(rowFormat),
                Optional.ofNullable(storedAs), Optional.ofNullable(location), properties));
        }
    )
}

Statement.Bucketing GlauxBucketing() :
{
    final List<Statement.Located<String>> columns;
    final List<Statement.Located<String>> sortedBy = new ArrayList<Statement.Located<String>>();
    final List<Boolean> ascending = new ArrayList<Boolean>();
    final Statement.Located<Integer> buckets;
}
{
    <CLUSTERED> <BY> columns = GlauxNameList()
    [
        <SORTED> <BY> <LPAREN>
        GlauxSortColumn(sortedBy, ascending)
        ( <COMMA> GlauxSortColumn(sortedBy, ascending) )*
        <RPAREN>
    ]
    <INTO> <UNSIGNED_INTEGER_LITERAL> {
        buckets = new Statement.Located<Integer>(Integer.valueOf(token.image), getPos());
    }
    <BUCKETS>
    {
        return new Statement.Bucketing(columns, sortedBy, ascending, buckets);
    }
}

void GlauxSortColumn(List<Statement.Located<String>> names, List<Boolean> ascending) :
{
    final Statement.Located<String> name;
    boolean asc = true;
}
{
    name = GlauxNamePart()
    [ <ASC> | <DESC> { asc = false; } ]
    {
        names.add(name);
        ascending.add(asc);
    }
}

Statement.RowFormat GlauxRowFormat() :
{
    final SqlParserPos pos;
    Statement.Located<String> fields = null;
    Statement.Located<String> escaped = null;
    Statement.Located<String> items = null;
    Statement.Located<String> keys = null;
    Statement.Located<String> lines = null;
    Statement.Located<String> nulls = null;
    final Statement.Located<String> serde;
    Map<String, String> properties = new LinkedHashMap<String, String>();
}
{
    <ROW> { pos = getPos(); } <FORMAT>
    (
        <DELIMITED>
        [
            <FIELDS> <TERMINATED> <BY> fields = GlauxString()
            [ <ESCAPED> <BY> escaped = GlauxString() ]
        ]
        [ <COLLECTION> <ITEMS> <TERMINATED> <BY> items = GlauxString() ]
        [ <MAP> <KEYS> <TERMINATED> <BY> keys = GlauxString() ]
        [ <LINES> <TERMINATED> <BY> lines = GlauxString() ]
        [ <NULL> <DEFINED> <AS> nulls = GlauxString() ]
        {
            return new Statement.Delimited(ParserSupport.value(fields), ParserSupport.value(escaped), ParserSupport.value(items),
                ParserSupport.value(keys), ParserSupport.value(lines), ParserSupport.value(nulls), pos);
        }
    |
        <SERDE> serde = GlauxPropertyString()
        [ <WITH> <SERDEPROPERTIES> properties = GlauxProperties() ]
        {
            return new Statement.Serde(serde, properties);
        }
    )
}

Statement.StoredAs GlauxStoredAs() :
{
    final Statement.Located<String> input;
    final Statement.Located<String> output;
    final Statement.Located<String> name;
}
{
    <STORED> <AS>
    (
        LOOKAHEAD(2)
        <INPUTFORMAT> input = GlauxPropertyString()
        <OUTPUTFORMAT> output = GlauxPropertyString()
        {
            return new Statement.StoredAsFormats(input, output);
        }
    |
        name = GlauxNamePart() {
            return new Statement.StoredAsName(name);
        }
    )
}

/**
 * DROP DATABASE|SCHEMA [IF EXISTS] db [CASCADE|RESTRICT]
 * DROP TABLE [IF EXISTS] name
 * DROP VIEW [IF EXISTS] name
 */
SqlNode GlauxDrop() :
{
    final Span s;
    final Statement.Name name;
    final boolean ifExists;
    boolean cascade = false;
}
{
    <DROP> { s = span(); }
    (
        ( <DATABASE> | <SCHEMA> )
        ifExists = GlauxIfExists()
        name = GlauxName()
        [ <CASCADE> { cascade = true; } | <RESTRICT> ]
        {
            return new SqlGlauxStatement(new Statement.DropSchema(s.pos(), name, ifExists, cascade));
        }
    |
        <TABLE>
        ifExists = GlauxIfExists()
        name = GlauxName()
        {
            return new SqlGlauxStatement(new Statement.DropTable(s.pos(), name, ifExists));
        }
    |
        <VIEW>
        ifExists = GlauxIfExists()
        name = GlauxName()
        {
            return new SqlGlauxStatement(new Statement.DropView(s.pos(), name, ifExists));
        }
    )
}

/**
 * ALTER TABLE name
 *     ADD [IF NOT EXISTS] PARTITION (..) [LOCATION '..'] [PARTITION ..]...
 *   | ADD COLUMNS (..) | REPLACE COLUMNS (..)
 *   | DROP [IF EXISTS] PARTITION (..) [, PARTITION (..)]...
 *   | PARTITION (..) SET LOCATION '..'
 *   | SET TBLPROPERTIES (..)
 *   | CHANGE [COLUMN] old new type [COMMENT '..'] [FIRST | AFTER column]
 *   | RENAME TO name
 */
SqlNode GlauxAlterTable() :
{
    final Span s;
    final Statement.Name name;
    boolean flag = false;
    final List<Statement.AddPartition> added = new ArrayList<Statement.AddPartition>();
    final List<Statement.PartitionSpec> dropped = new ArrayList<Statement.PartitionSpec>();
    Statement.PartitionSpec spec;
    Statement.Located<String> location;
    final List<Statement.ColumnDefinition> columns;
    final Map<String, String> properties;
    final Statement.Located<String> column;
    final Statement.ColumnDefinition definition;
    Statement.Located<String> after = null;
    final Statement.Name target;
}
{
    <ALTER> { s = span(); } <TABLE> name = GlauxName()
    (
        <CHANGE> [ <COLUMN> ] column = GlauxNamePart() definition = GlauxColumn()
        [ <FIRST> { flag = true; } | <AFTER> after = GlauxNamePart() ]
        {
            return new SqlGlauxStatement(new Statement.ChangeColumn(s.pos(), name, column, definition, flag, Optional.ofNullable(after)));
        }
    |
        <RENAME> <TO> target = GlauxName() {
            return new SqlGlauxStatement(new Statement.RenameTable(s.pos(), name, target));
        }
    |
        <ADD>
        (
            <COLUMNS> columns = GlauxColumns() {
                return new SqlGlauxStatement(new Statement.ChangeColumns(s.pos(), name, false, columns));
            }
        |
            flag = GlauxIfNotExists()
            (
                spec = GlauxPartitionSpec() { location = null; }
                [ <LOCATION> location = GlauxString() ]
                {
                    added.add(new Statement.AddPartition(spec, Optional.ofNullable(location)));
                }
            )+
            {
                return new SqlGlauxStatement(new Statement.AddPartitions(s.pos(), name, flag, added));
            }
        )
    |
        <REPLACE> <COLUMNS> columns = GlauxColumns() {
            return new SqlGlauxStatement(new Statement.ChangeColumns(s.pos(), name, true, columns));
        }
    |
        <DROP> flag = GlauxIfExists()
        spec = GlauxPartitionSpec() { dropped.add(spec); }
        ( <COMMA> spec = GlauxPartitionSpec() { dropped.add(spec); } )*
        {
            return new SqlGlauxStatement(new Statement.DropPartitions(s.pos(), name, flag, dropped));
        }
    |
        spec = GlauxPartitionSpec() <SET> <LOCATION> location = GlauxString() {
            return new SqlGlauxStatement(new Statement.SetPartitionLocation(s.pos(), name, spec, location));
        }
    |
        <SET> <TBLPROPERTIES> properties = GlauxProperties() {
            return new SqlGlauxStatement(new Statement.SetTableProperties(s.pos(), name, properties));
        }
    )
}

/**
 * SHOW CATALOGS [LIKE '..'], SHOW SCHEMAS|DATABASES [FROM|IN catalog] [LIKE '..'],
 * SHOW TABLES [FROM|IN [catalog.]schema] [LIKE '..' | '..'], SHOW CREATE TABLE t, SHOW COLUMNS FROM|IN t,
 * SHOW PARTITIONS t, SHOW TBLPROPERTIES t [('key')]
 */
SqlNode GlauxShow() :
{
    final Span s;
    Statement.Name name = null;
    final Optional<String> like;
    Statement.Located<String> key = null;
    Statement.Located<String> pattern = null;
}
{
    <SHOW> { s = span(); }
    (
        <CATALOGS> like = GlauxLike() {
            return new SqlGlauxStatement(new Statement.ShowCatalogs(s.pos(), like));
        }
    |
        ( <SCHEMAS> | <DATABASES> )
        [ ( <FROM> | <IN> ) name = GlauxName() ]
        like = GlauxLike()
        {
            return new SqlGlauxStatement(new Statement.ShowSchemas(s.pos(), Optional.ofNullable(name), like));
        }
    |
        <TABLES>
        [ ( <FROM> | <IN> ) name = GlauxName() ]
        (
            pattern = GlauxString() { like = Optional.empty(); }
        |
            like = GlauxLike()
        )
        {
            return new SqlGlauxStatement(new Statement.ShowTables(s.pos(), Optional.ofNullable(name), like,
                pattern == null ? Optional.<String>empty() : Optional.of(pattern.value())));
        }
    |
        <CREATE>
        (
            <TABLE> name = GlauxName() {
                return new SqlGlauxStatement(new Statement.ShowCreateTable(s.pos(), name));
            }
        |
            <VIEW> name = GlauxName() {
                return new SqlGlauxStatement(new Statement.ShowCreateView(s.pos(), name));
            }
        |
            ( <SCHEMA> | <DATABASE> ) name = GlauxName() {
                return new SqlGlauxStatement(new Statement.ShowCreateSchema(s.pos(), name));
            }
        )
    |
        <COLUMNS> ( <FROM> | <IN> ) name = GlauxName() {
            return new SqlGlauxStatement(new Statement.Describe(s.pos(), name, false));
        }
    |
        <PARTITIONS> name = GlauxName() {
            return new SqlGlauxStatement(new Statement.ShowPartitions(s.pos(), name));
        }
    |
        <TBLPROPERTIES> name = GlauxName()
        [ <LPAREN> key = GlauxPropertyString() <RPAREN> ]
        {
            return new SqlGlauxStatement(new Statement.ShowTableProperties(s.pos(), name,
                key == null ? Optional.<String>empty() : Optional.of(key.value())));
        }
    )
}

/** DESCRIBE|DESC [FORMATTED] t */
SqlNode GlauxDescribe() :
{
    final Span s;
    boolean formatted = false;
    final Statement.Name name;
}
{
    ( <DESCRIBE> | <DESC> ) { s = span(); }
    [ LOOKAHEAD(<FORMATTED> GlauxNamePart()) <FORMATTED> { formatted = true; } ]
    name = GlauxName()
    {
        return new SqlGlauxStatement(new Statement.Describe(s.pos(), name, formatted));
    }
}

/** USE [catalog.]schema */
SqlNode GlauxUse() :
{
    final Span s;
    final Statement.Name name;
}
{
    <USE> { s = span(); } name = GlauxName() {
        return new SqlGlauxStatement(new Statement.Use(s.pos(), name));
    }
}

/** MSCK REPAIR TABLE t [ADD | DROP | SYNC PARTITIONS] */
SqlNode GlauxMsckRepair() :
{
    final Span s;
    final Statement.Name name;
    boolean add = true;
    boolean drop = false;
}
{
    <MSCK> { s = span(); } <REPAIR> <TABLE> name = GlauxName()
    [
        ( <ADD> | <DROP> { add = false; drop = true; } | <SYNC> { drop = true; } )
        <PARTITIONS>
    ]
    {
        return new SqlGlauxStatement(new Statement.MsckRepair(s.pos(), name, add, drop));
    }
}

/** Trino's ANALYZE t */
SqlNode GlauxAnalyze() :
{
    final Span s;
    final Statement.Name name;
}
{
    <ANALYZE> { s = span(); } name = GlauxName() {
        return new SqlGlauxStatement(new Statement.Analyze(s.pos(), name));
    }
}

// --- metadata statements: SHOW FUNCTIONS, SHOW STATS (SHOW CREATE SCHEMA is an alternative of GlauxShow)

/** SHOW FUNCTIONS [LIKE '..'], SHOW STATS FOR t */
SqlNode GlauxShowMetadata() :
{
    final Span s;
    final Optional<String> like;
    final Statement.Name name;
}
{
    <SHOW> { s = span(); }
    (
        <FUNCTIONS> like = GlauxLike() {
            return new SqlGlauxStatement(new Statement.ShowFunctions(s.pos(), like));
        }
    |
        <STATS> <FOR> name = GlauxName() {
            return new SqlGlauxStatement(new Statement.ShowStats(s.pos(), name));
        }
    )
}

/** Trino's EXPLAIN [ANALYZE] [(TYPE {LOGICAL | DISTRIBUTED}, FORMAT TEXT)] query */
SqlNode GlauxExplain() :
{
    final Span s;
    boolean analyze = false;
    final List<String> explainOptions = new ArrayList<String>();
    String option;
    final SqlNode query;
}
{
    <EXPLAIN> { s = span(); }
    [ <ANALYZE> { analyze = true; } ]
    [
        LOOKAHEAD(2)
        <LPAREN> option = GlauxExplainOption() { explainOptions.add(option); }
        ( <COMMA> option = GlauxExplainOption() { explainOptions.add(option); } )*
        <RPAREN>
    ]
    query = OrderedQueryOrExpr(ExprContext.ACCEPT_QUERY)
    {
        return new SqlGlauxStatement(new Statement.Explain(s.pos(), query, analyze, explainOptions));
    }
}

String GlauxExplainOption() :
{
    final String name;
    final SqlIdentifier value;
}
{
    ( <TYPE> { name = "TYPE"; } | <FORMAT> { name = "FORMAT"; } )
    value = SimpleIdentifier() {
        return name + "=" + value.getSimple().toUpperCase(java.util.Locale.ROOT);
    }
}

<#--
  Client statements: the session (SET SESSION, RESET SESSION, SHOW SESSION) and prepared statements
  (PREPARE, EXECUTE [IMMEDIATE] ... USING, DEALLOCATE PREPARE, DESCRIBE INPUT|OUTPUT), as Trino writes
  them. io.glaux.coordinator.statement.ClientStatements runs them.
-->

/**
 * SET SESSION name = value | RESET SESSION name | SHOW SESSION [LIKE '..']
 * PREPARE name FROM statement | EXECUTE name [USING value, ...] | EXECUTE IMMEDIATE '..' [USING value, ...]
 * DEALLOCATE PREPARE name | DESCRIBE INPUT name | DESCRIBE OUTPUT name
 */
SqlNode GlauxClientStatement() :
{
    final Span s;
    Statement.Name name;
    SqlNode value;
    Optional<String> like;
    Statement.Located<String> id = null;
    Statement.Located<String> text;
    Token start;
    List<SqlNode> parameters;
}
{
    (
        <SET> { s = span(); } <SESSION> name = GlauxName() <EQ> value = Expression(ExprContext.ACCEPT_NON_QUERY) {
            return new SqlGlauxStatement(new Statement.SetSession(s.pos(), name, value));
        }
    |
        <RESET> { s = span(); } <SESSION> name = GlauxName() {
            return new SqlGlauxStatement(new Statement.ResetSession(s.pos(), name));
        }
    |
        <SHOW> { s = span(); } <SESSION> like = GlauxLike() {
            return new SqlGlauxStatement(new Statement.ShowSession(s.pos(), like));
        }
    |
        <PREPARE> { s = span(); } id = GlauxNamePart() <FROM> { start = getToken(1); } value = SqlStmt() {
            return new SqlGlauxStatement(new Statement.Prepare(s.pos(), id,
                new SqlParserPos(start.beginLine, start.beginColumn, start.endLine, start.endColumn)));
        }
    |
        <EXECUTE> { s = span(); }
        (
            LOOKAHEAD(<IMMEDIATE> <QUOTED_STRING>)
            <IMMEDIATE> text = GlauxClientString() parameters = GlauxUsing() {
                return new SqlGlauxStatement(new Statement.ExecuteImmediate(s.pos(), text, parameters));
            }
        |
            id = GlauxNamePart() parameters = GlauxUsing() {
                return new SqlGlauxStatement(new Statement.Execute(s.pos(), id, parameters));
            }
        )
    |
        <DEALLOCATE> { s = span(); } <PREPARE> id = GlauxNamePart() {
            return new SqlGlauxStatement(new Statement.Deallocate(s.pos(), id));
        }
    |
        <DESCRIBE> { s = span(); }
        (
            <INPUT> [ id = GlauxNamePart() ] {
                // DESCRIBE input alone describes a table named "input"
                return new SqlGlauxStatement(id == null
                    ? new Statement.Describe(s.pos(), new Statement.Name(java.util.List.of("input"), s.pos()), false)
                    : new Statement.DescribeInput(s.pos(), id));
            }
        |
            <OUTPUT> [ id = GlauxNamePart() ] {
                return new SqlGlauxStatement(id == null
                    ? new Statement.Describe(s.pos(), new Statement.Name(java.util.List.of("output"), s.pos()), false)
                    : new Statement.DescribeOutput(s.pos(), id));
            }
        )
    )
}

/** A 'single quoted' string as SQL writes it ('' is a quote; no backslash escapes). */
Statement.Located<String> GlauxClientString() :
{
}
{
    <QUOTED_STRING> {
        return new Statement.Located<String>(SqlParserUtil.parseString(token.image), getPos());
    }
}

/** [USING value, ...]: the parameters of EXECUTE. */
List<SqlNode> GlauxUsing() :
{
    final List<SqlNode> values = new ArrayList<SqlNode>();
    SqlNode value;
}
{
    [
        <USING> value = GlauxParameterValue() { values.add(value); }
        ( <COMMA> value = GlauxParameterValue() { values.add(value); } )*
    ]
    {
        return values;
    }
}

/**
 * A parameter value: an expression, or a literal of a type Calcite's grammar has no literal for
 * (BIGINT '5', DOUBLE '1.5', DECIMAL '1.25', ... as the Trino JDBC driver sends them).
 */
SqlNode GlauxParameterValue() :
{
    final SqlNode value;
    final String type;
    final SqlParserPos pos;
}
{
    LOOKAHEAD(2)
    ( <TINYINT> | <SMALLINT> | <INTEGER> | <INT> | <BIGINT> | <REAL> | <DOUBLE> | <DECIMAL> | <VARCHAR> | <CHAR> | <VARBINARY> )
    { type = token.image; pos = getPos(); }
    <QUOTED_STRING> {
        return TypedLiterals.of(type, SqlParserUtil.parseString(token.image), pos.plus(getPos()));
    }
|
    value = Expression(ExprContext.ACCEPT_NON_QUERY) { return value; }
}

/** {@code x AT TIME ZONE zone}: the operator and its right operand, added to the expression list being built. */
void GlauxAtTimeZone(List<Object> list, ExprContext exprContext, Span s) :
{
    SqlNode zone;
}
{
    <AT> <TIME> <ZONE> {
        checkNonQueryExpression(exprContext);
        s.clear().add(this);
    }
    zone = Expression3(ExprContext.ACCEPT_SUB_QUERY) {
        list.add(new SqlParserUtil.ToTreeListItem(AtTimeZone.OPERATOR, s.pos()));
        list.add(zone);
    }
}

/** Trino's {@code array(T)} and {@code map(K, V)} type names (in CAST, for one). */
SqlTypeNameSpec GlauxTrinoCollectionType() :
{
    final SqlDataTypeSpec element;
    final SqlDataTypeSpec key;
    final SqlDataTypeSpec value;
    final Span s;
}
{
    <ARRAY> { s = span(); } <LPAREN> element = DataType() <RPAREN> {
        return new SqlCollectionTypeNameSpec(element.getTypeNameSpec(), SqlTypeName.ARRAY, s.end(this));
    }
|
    <MAP> { s = span(); } <LPAREN> key = DataType() <COMMA> value = DataType() <RPAREN> {
        return new SqlMapTypeNameSpec(key, value, s.end(this));
    }
}

/** Trino's type names Calcite lacks (ipaddress, ipprefix, json) in CAST; another word is a user-defined type name. */
SqlTypeNameSpec GlauxTrinoNamedType() :
{
}
{
    ( <IDENTIFIER> | <JSON> ) {
        return TrinoTypeNames.spec(token.image, getPos());
    }
}

/** IPADDRESS '10.0.0.1', IPPREFIX '10.0.0.0/8' and JSON '...': literals of Trino's types Calcite lacks. */
SqlNode GlauxTrinoTypedLiteral() :
{
    final String type;
    final SqlParserPos pos;
}
{
    ( <IDENTIFIER> | <JSON> ) {
        type = token.image;
        pos = getPos();
        if (!TrinoTypeNames.isName(type)) {
            throw SqlUtil.newContextException(pos, RESOURCE.unknownDatatypeName(type));
        }
    }
    <QUOTED_STRING> {
        return TrinoTypeNames.literal(type, SqlParserUtil.parseString(token.image), pos.plus(getPos()));
    }
}
