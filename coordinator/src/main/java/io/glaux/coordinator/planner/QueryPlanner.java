package io.glaux.coordinator.planner;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.sql.parser.GlauxSqlParserImpl;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;
import org.apache.calcite.adapter.enumerable.EnumerableConvention;
import org.apache.calcite.adapter.enumerable.EnumerableInterpretable;
import org.apache.calcite.adapter.enumerable.EnumerableRel;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepProgram;
import org.apache.calcite.plan.hep.HepProgramBuilder;
import org.apache.calcite.plan.volcano.VolcanoPlanner;
import org.apache.calcite.prepare.CalciteCatalogReader;
import org.apache.calcite.rel.RelCollationTraitDef;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.RelRoot;
import org.apache.calcite.rel.core.RelFactories;
import org.apache.calcite.rel.rules.AggregateReduceFunctionsRule;
import org.apache.calcite.rel.rules.CoreRules;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexUtil;
import org.apache.calcite.rex.RexExecutorImpl;
import org.apache.calcite.runtime.Bindable;
import org.apache.calcite.runtime.CalciteContextException;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.fun.SqlLibrary;
import org.apache.calcite.sql.fun.SqlLibraryOperatorTableFactory;
import org.apache.calcite.sql.parser.SqlParseException;
import org.apache.calcite.sql.parser.SqlParser;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.validate.SqlConformanceEnum;
import org.apache.calcite.sql.validate.SqlNameMatchers;
import org.apache.calcite.sql.validate.SqlValidator;
import org.apache.calcite.sql2rel.RelDecorrelator;
import org.apache.calcite.sql2rel.SqlToRelConverter;
import org.apache.calcite.sql2rel.StandardConvertletTable;
import org.apache.calcite.tools.Program;
import org.apache.calcite.tools.Programs;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.DataContexts;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * SQL text → an executable plan. Calcite parses (Trino identifier rules: unquoted names fold to lower
 * case, double quotes quote), validates against the catalog, converts to relational algebra, and
 * plans; {@link Pushdown} moves scan work to the workers. Names resolve against the session's
 * {@code catalog.schema}, then the catalog, then the root ({@code catalog.schema.table}).
 */
public final class QueryPlanner
{
    /**
     * Glaux's grammar ({@link GlauxSqlParserImpl}, generated from Calcite's Parser.jj with the
     * Athena/Hive statements of {@code src/main/codegen}) with Trino's identifier rules: unquoted
     * names fold to lower case, {@code "double quotes"} quote (and {@code `back quotes`} in DDL).
     */
    public static final SqlParser.Config PARSER_CONFIG = SqlParser.config()
            .withParserFactory(GlauxSqlParserImpl.FACTORY)
            .withQuoting(Quoting.DOUBLE_QUOTE)
            .withUnquotedCasing(Casing.TO_LOWER)
            .withQuotedCasing(Casing.UNCHANGED)
            .withCaseSensitive(false)
            .withConformance(GlauxConformance.INSTANCE);

    // standard operators once: a name found twice is left unresolved by the validator
    // Trino's functions replace those of the same name
    private static final SqlOperatorTable OPERATORS = TrinoFunctions.withStandard(SqlOperatorTables.chain(
            org.apache.calcite.sql.fun.SqlStdOperatorTable.instance(),
            SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(List.of(SqlLibrary.POSTGRESQL), false)));

    /** Subqueries become joins (correlated ones via Correlate, then decorrelated); windowed projections become Window nodes. */
    private static final HepProgram SUBQUERIES = new HepProgramBuilder()
            .addRuleCollection(List.of(
                    CoreRules.FILTER_SUB_QUERY_TO_CORRELATE,
                    CoreRules.PROJECT_SUB_QUERY_TO_CORRELATE,
                    CoreRules.JOIN_SUB_QUERY_TO_CORRELATE))
            .addRuleInstance(CoreRules.PROJECT_TO_LOGICAL_PROJECT_AND_WINDOW)
            .build();

    private static final HepProgram NORMALIZE = new HepProgramBuilder()
            .addRuleInstance(CoreRules.AGGREGATE_EXPAND_DISTINCT_AGGREGATES)
            .addRuleInstance(AggregateReduceFunctionsRule.Config.DEFAULT
                    .withFunctionsToReduce(EnumSet.of(SqlKind.AVG)).toRule())
            .addRuleCollection(List.of(
                    CoreRules.FILTER_REDUCE_EXPRESSIONS,
                    CoreRules.PROJECT_REDUCE_EXPRESSIONS,
                    CoreRules.FILTER_MERGE,
                    CoreRules.FILTER_PROJECT_TRANSPOSE,
                    CoreRules.PROJECT_MERGE,
                    CoreRules.PROJECT_REMOVE,
                    CoreRules.AGGREGATE_PROJECT_MERGE))
            .build();

    private final CalciteSchema rootSchema;
    private final JavaTypeFactory typeFactory = new JavaTypeFactoryImpl(GlauxTypeSystem.INSTANCE);

    public QueryPlanner(CalciteSchema rootSchema)
    {
        this.rootSchema = requireNonNull(rootSchema, "rootSchema is null");
    }

    public JavaTypeFactory typeFactory()
    {
        return typeFactory;
    }

    /**
     * A planned query: its result type and column names, and how to run it — by the engine
     * ({@code engine} present) or, for what the engine cannot run yet, by Calcite's {@code bindable}.
     */
    public record Plan(RelDataType rowType, List<String> columnNames, Optional<PhysicalPlanner.EnginePlan> engine, Bindable<?> bindable,
            Map<String, Object> parameters, String explain)
    {
    }

    public Plan plan(String sql, String catalog, String schema)
    {
        return plan(parse(sql), catalog, schema);
    }

    /** Plans a parsed query ({@link #parse}). */
    public Plan plan(SqlNode parsed, String catalog, String schema)
    {
        return plan(parsed, catalog, schema, "", relation -> { });
    }

    /**
     * Plans a parsed query for {@code user}: the session functions ({@code current_user},
     * {@code current_catalog}, ...) become the session's values, and metadata tables list what the user
     * may see. {@code relations} is told the qualified name ({@code [catalog, schema, table]}) of every
     * table and view the query reads, those a view reads included, before anything runs (access control
     * throws from it).
     */
    public Plan plan(SqlNode parsed, String catalog, String schema, String user, Consumer<List<String>> relations)
    {
        parsed = SessionFunctions.inline(parsed, catalog, schema, user);
        CalciteConnectionConfig config = connectionConfig();
        List<List<String>> paths = List.of(List.of(catalog, schema), List.of(catalog), List.of());
        CalciteCatalogReader catalogReader = new SessionCatalogReader(rootSchema, paths, typeFactory, config, relations);
        SqlValidator validator = validator(catalogReader);
        SqlNode validated;
        try {
            validated = validator.validate(RowFieldReferences.rewrite(TrinoFunctions.rewriteAggregates(ArraySyntax.rewrite(parsed))));
        }
        catch (CalciteContextException e) {
            throw validationError(e);
        }

        VolcanoPlanner planner = new VolcanoPlanner();
        planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
        planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
        RelOptUtil.registerDefaultRules(planner, false, false);
        planner.setExecutor(new RexExecutorImpl(DataContexts.EMPTY));
        RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));
        SqlToRelConverter converter = new SqlToRelConverter(new ViewExpander(cluster, config, relations), validator, catalogReader, cluster, StandardConvertletTable.INSTANCE,
                SqlToRelConverter.config().withTrimUnusedFields(true).withExpand(false));
        RelRoot root = converter.convertQuery(validated, false, true);
        RelNode logical = root.project();
        List<String> names = new ArrayList<>();
        for (String name : root.validatedRowType.getFieldNames()) {
            // an unnamed expression is _col<position> in Trino, EXPR$<n> in Calcite
            names.add(name.startsWith("EXPR$") ? "_col" + names.size() : name);
        }

        // the engine runs the plan with subqueries turned into (decorrelated) joins
        RelNode enginePlan = pushDown(withoutSubQueries(logical, RelFactories.LOGICAL_BUILDER.create(cluster, catalogReader)), validator, cluster, catalogReader);
        Optional<PhysicalPlanner.EnginePlan> engine = PhysicalPlanner.translate(enginePlan, user);
        if (engine.isPresent()) {
            return new Plan(root.validatedRowType, names, engine, null, Map.of(), RelOptUtil.toString(enginePlan));
        }

        // Calcite's executor fails inside its generated code on UNNEST ... WITH ORDINALITY: say so instead
        if (hasOrdinalityUnnest(logical)) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "UNNEST ... WITH ORDINALITY is not supported yet");
        }

        // what the engine cannot run yet goes to Calcite's executor, planned as before (its own subquery
        // removal: a correlation the decorrelator leaves would run the inner scan once per outer row)
        RelNode pushed = pushDown(logical, validator, cluster, catalogReader);
        RelNode physical = pushed;
        if (!(pushed instanceof EnumerableRel)) {
            // a query pushed entirely into the scan is already physical
            Program program = Programs.standard();
            physical = program.run(planner, pushed, pushed.getTraitSet().replace(EnumerableConvention.INSTANCE).simplify(), List.of(), List.of());
        }
        Map<String, Object> parameters = new HashMap<>();
        Bindable<?> bindable = EnumerableInterpretable.toBindable(parameters, null, (EnumerableRel) physical, EnumerableRel.Prefer.ARRAY);
        return new Plan(root.validatedRowType, names, Optional.empty(), bindable, parameters, RelOptUtil.toString(physical));
    }

    private static RelNode pushDown(RelNode logical, SqlValidator validator, RelOptCluster cluster, CalciteCatalogReader catalogReader)
    {
        HepPlanner hep = new HepPlanner(NORMALIZE);
        hep.setRoot(logical);
        return Pushdown.apply(hep.findBestExp(), new ScanFieldTrimmer(validator, RelFactories.LOGICAL_BUILDER.create(cluster, catalogReader)));
    }

    private static RelNode withoutSubQueries(RelNode logical, org.apache.calcite.tools.RelBuilder relBuilder)
    {
        if (!hasSubQueryOrWindow(logical)) {
            // most queries: nothing for the rules or the decorrelator to do, which still cost planning time
            return logical;
        }
        HepPlanner hep = new HepPlanner(SUBQUERIES);
        hep.setRoot(logical);
        RelNode rewritten = hep.findBestExp();
        try {
            return RelDecorrelator.decorrelateQuery(rewritten, relBuilder);
        }
        catch (RuntimeException e) {
            // Calcite cannot decorrelate everything; the plan keeps its Correlate nodes
            return rewritten;
        }
    }

    private static boolean hasOrdinalityUnnest(RelNode node)
    {
        if (node instanceof org.apache.calcite.rel.core.Uncollect uncollect && uncollect.withOrdinality) {
            return true;
        }
        return node.getInputs().stream().anyMatch(QueryPlanner::hasOrdinalityUnnest);
    }

    /** Whether any node of the plan has a subquery (IN, EXISTS, scalar) or a windowed expression. */
    private static boolean hasSubQueryOrWindow(RelNode node)
    {
        boolean here = switch (node) {
            case org.apache.calcite.rel.core.Filter filter -> RexUtil.SubQueryFinder.containsSubQuery(filter);
            case org.apache.calcite.rel.core.Project project -> RexUtil.SubQueryFinder.containsSubQuery(project)
                    || org.apache.calcite.rex.RexOver.containsOver(project.getProjects(), null);
            case org.apache.calcite.rel.core.Join join -> RexUtil.SubQueryFinder.containsSubQuery(join);
            default -> false;
        };
        if (here) {
            return true;
        }
        for (RelNode input : node.getInputs()) {
            if (hasSubQueryOrWindow(input)) {
                return true;
            }
        }
        return false;
    }

    /**
     * What a query returns and takes, validated but neither planned nor run ({@code DESCRIBE OUTPUT} and
     * {@code DESCRIBE INPUT}): its result columns (name, type, and {@code [catalog, schema, table,
     * column]} where a column comes straight from a table, else null) and the types Calcite infers for
     * its {@code ?} parameters, in order (null where it infers none).
     */
    public record Description(List<String> names, List<RelDataType> types, List<List<String>> origins, List<RelDataType> parameterTypes)
    {
    }

    /** @param relations told each table and view the query reads, as for {@link #plan}: it may refuse one */
    public Description describe(SqlNode parsed, String catalog, String schema, Consumer<List<String>> relations)
    {
        CalciteConnectionConfig config = connectionConfig();
        List<List<String>> paths = List.of(List.of(catalog, schema), List.of(catalog), List.of());
        CalciteCatalogReader catalogReader = new SessionCatalogReader(rootSchema, paths, typeFactory, config, relations);
        SqlValidator validator = validator(catalogReader);
        SqlNode validated;
        try {
            validated = validator.validate(RowFieldReferences.rewrite(TrinoFunctions.rewriteAggregates(ArraySyntax.rewrite(parsed))));
        }
        catch (CalciteContextException e) {
            throw validationError(e);
        }
        RelDataType rowType = validator.getValidatedNodeType(validated);
        List<String> names = new ArrayList<>();
        List<RelDataType> types = new ArrayList<>();
        for (var field : rowType.getFieldList()) {
            names.add(field.getName().startsWith("EXPR$") ? "_col" + names.size() : field.getName());
            types.add(field.getType());
        }
        List<List<String>> origins = new ArrayList<>();
        List<List<String>> found = validator.getFieldOrigins(validated);
        for (int i = 0; i < names.size(); i++) {
            origins.add(found != null && i < found.size() ? found.get(i) : null);
        }
        java.util.TreeMap<Integer, RelDataType> parameters = new java.util.TreeMap<>();
        validated.accept(new org.apache.calcite.sql.util.SqlBasicVisitor<Void>()
        {
            @Override
            public Void visit(org.apache.calcite.sql.SqlDynamicParam param)
            {
                parameters.put(param.getIndex(), validator.getValidatedNodeTypeIfKnown(param));
                return null;
            }
        });
        return new Description(names, types, origins, new ArrayList<>(parameters.values()));
    }

    /** The logical plan of a query as converted from SQL, before any rewriting or constant folding (for tests). */
    RelNode convert(String sql, String catalog, String schema)
    {
        CalciteConnectionConfig config = connectionConfig();
        List<List<String>> paths = List.of(List.of(catalog, schema), List.of(catalog), List.of());
        CalciteCatalogReader catalogReader = new SessionCatalogReader(rootSchema, paths, typeFactory, config, relation -> { });
        SqlValidator validator = validator(catalogReader);
        SqlNode validated;
        try {
            validated = validator.validate(RowFieldReferences.rewrite(TrinoFunctions.rewriteAggregates(parse(sql))));
        }
        catch (CalciteContextException e) {
            throw validationError(e);
        }
        VolcanoPlanner planner = new VolcanoPlanner();
        RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));
        SqlToRelConverter converter = new SqlToRelConverter(new ViewExpander(cluster, config, relation -> { }), validator, catalogReader, cluster, StandardConvertletTable.INSTANCE,
                SqlToRelConverter.config().withTrimUnusedFields(false).withExpand(false));
        return converter.convertQuery(validated, false, true).project();
    }

    /** Parses one statement: a query, or a Glaux statement ({@link io.glaux.coordinator.sql.ast.SqlGlauxStatement}). */
    public static SqlNode parse(String sql)
    {
        StatementSize.check(sql);
        try {
            return SqlParser.create(TrinoFunctions.quoteCalls(sql), PARSER_CONFIG).parseStmt();
        }
        catch (SqlParseException e) {
            for (Throwable cause = e.getCause(); cause != null; cause = cause.getCause()) {
                if (cause instanceof StackOverflowError) {
                    throw tooLargeToParse();
                }
            }
            Optional<SqlNode> withoutFrom = selectWithoutFrom(sql, e);
            if (withoutFrom.isPresent()) {
                return withoutFrom.get();
            }
            var pos = e.getPos();
            String message = firstLine(e.getMessage());
            message = message.replaceAll(" at line \\d+, column \\d+", "");
            if (e.getExpectedTokenNames() != null && !e.getExpectedTokenNames().isEmpty()) {
                List<String> expected = e.getExpectedTokenNames().stream().map(String::trim).sorted().limit(12).toList();
                message += " Expecting one of: " + String.join(", ", expected) + (e.getExpectedTokenNames().size() > 12 ? ", ..." : "");
            }
            ErrorLocation location = pos == null || pos.getLineNum() < 1 ? new ErrorLocation(1, 1) : new ErrorLocation(pos.getLineNum(), Math.max(1, pos.getColumnNum()));
            throw new GlauxException(ErrorCode.SYNTAX_ERROR, location, message, null);
        }
        catch (StackOverflowError e) {
            throw tooLargeToParse();
        }
    }

    /** As Trino says it: expressions or parentheses nested deeper than the parser's stack. */
    private static GlauxException tooLargeToParse()
    {
        return new GlauxException(ErrorCode.SYNTAX_ERROR, new ErrorLocation(1, 1), "Statement is too large (stack overflow while parsing)", null);
    }

    /**
     * Trino's {@code SELECT ... WHERE ...} without FROM (one row, filtered), which the Trino JDBC
     * driver sends for getPrimaryKeys and getImportedKeys and Calcite's grammar lacks: when the parser
     * stops at a WHERE where FROM could be, the query is parsed again with a one-row FROM there.
     */
    private static Optional<SqlNode> selectWithoutFrom(String sql, SqlParseException e)
    {
        var pos = e.getPos();
        if (pos == null || e.getExpectedTokenNames() == null || !e.getExpectedTokenNames().contains("\"FROM\"")) {
            return Optional.empty();
        }
        int offset = 0;
        for (int line = 1; line < pos.getLineNum(); line++) {
            offset = sql.indexOf('\n', offset) + 1;
            if (offset == 0) {
                return Optional.empty();
            }
        }
        offset += pos.getColumnNum() - 1;
        if (offset < 0 || offset + 5 > sql.length() || !sql.regionMatches(true, offset, "WHERE", 0, 5)) {
            return Optional.empty();
        }
        String rewritten = sql.substring(0, offset) + "FROM (VALUES (0)) AS \"$no_from\"(\"$no_column\") " + sql.substring(offset);
        try {
            return Optional.of(SqlParser.create(rewritten, PARSER_CONFIG).parseStmt());
        }
        catch (SqlParseException again) {
            return Optional.empty();
        }
    }

    private SqlValidator validator(CalciteCatalogReader catalogReader)
    {
        return new GlauxValidator(OPERATORS, catalogReader, typeFactory,
                SqlValidator.Config.DEFAULT
                        .withConformance(GlauxConformance.INSTANCE)
                        .withIdentifierExpansion(true)
                        .withDefaultNullCollation(org.apache.calcite.config.NullCollation.LAST));
    }

    /**
     * Expands a view (Calcite's {@code ViewTable}) into the query: its SQL is parsed, validated with
     * names resolving in the view's own {@code catalog.schema}, and converted in the same cluster.
     */
    private final class ViewExpander
            implements RelOptTable.ViewExpander
    {
        private final RelOptCluster cluster;
        private final CalciteConnectionConfig config;
        private final Consumer<List<String>> relations;

        ViewExpander(RelOptCluster cluster, CalciteConnectionConfig config, Consumer<List<String>> relations)
        {
            this.cluster = cluster;
            this.config = config;
            this.relations = relations;
        }

        @Override
        public RelRoot expandView(RelDataType rowType, String queryString, List<String> schemaPath, List<String> viewPath)
        {
            String viewName = viewPath == null ? "view" : String.join(".", viewPath);
            SqlNode parsed;
            try {
                parsed = parse(queryString);
            }
            catch (GlauxException e) {
                throw new GlauxException(e.errorCode(), "View " + viewName + " does not parse: " + e.getMessage(), e);
            }
            List<List<String>> paths = List.of(schemaPath, schemaPath.subList(0, Math.min(1, schemaPath.size())), List.of());
            CalciteCatalogReader reader = new SessionCatalogReader(rootSchema, paths, typeFactory, config, relations);
            SqlValidator validator = validator(reader);
            SqlNode validated;
            try {
                validated = validator.validate(RowFieldReferences.rewrite(TrinoFunctions.rewriteAggregates(ArraySyntax.rewrite(parsed))));
            }
            catch (CalciteContextException e) {
                GlauxException error = validationError(e);
                throw new GlauxException(error.errorCode(), "View " + viewName + " is no longer valid: " + error.getMessage(), e);
            }
            SqlToRelConverter converter = new SqlToRelConverter(this, validator, reader, cluster, StandardConvertletTable.INSTANCE,
                    SqlToRelConverter.config().withTrimUnusedFields(true).withExpand(false));
            // Calcite's view table casts root.rel to the view's row type: project away what ORDER BY added
            RelRoot root = converter.convertQuery(validated, false, true);
            return RelRoot.of(root.project(), root.kind);
        }
    }

    private static final Pattern OBJECT_NOT_FOUND = Pattern.compile("Object '([^']*)' not found( within '([^']*)')?");
    private static final Pattern TABLE_NOT_FOUND = Pattern.compile("Table '([^']*)' not found");
    private static final Pattern COLUMN_NOT_FOUND = Pattern.compile("Column '([^']*)' not found in (any table|table '([^']*)')");
    private static final Pattern FUNCTION_NOT_FOUND = Pattern.compile("No match found for function signature ([^(]*)\\((.*)\\)");

    private static GlauxException validationError(CalciteContextException e)
    {
        ErrorLocation location = e.getPosLine() > 0 ? new ErrorLocation(e.getPosLine(), Math.max(1, e.getPosColumn())) : null;
        String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : firstLine(e.getMessage());
        Matcher matcher;
        ErrorCode code = ErrorCode.GENERIC_USER_ERROR;
        if ((matcher = OBJECT_NOT_FOUND.matcher(message)).find()) {
            String name = matcher.group(3) != null ? matcher.group(3) + "." + matcher.group(1) : matcher.group(1);
            code = ErrorCode.TABLE_NOT_FOUND;
            message = "Table '" + name + "' does not exist";
        }
        else if ((matcher = TABLE_NOT_FOUND.matcher(message)).find()) {
            code = ErrorCode.TABLE_NOT_FOUND;
            message = "Table '" + matcher.group(1) + "' does not exist";
        }
        else if ((matcher = COLUMN_NOT_FOUND.matcher(message)).find()) {
            code = ErrorCode.COLUMN_NOT_FOUND;
            message = "Column '" + matcher.group(1) + "' cannot be resolved" + (matcher.group(3) != null ? " in table '" + matcher.group(3) + "'" : "");
        }
        else if ((matcher = FUNCTION_NOT_FOUND.matcher(message)).find()) {
            code = ErrorCode.FUNCTION_NOT_FOUND;
            message = "Function '" + matcher.group(1).toLowerCase(java.util.Locale.ROOT) + "' not registered for arguments (" + matcher.group(2) + ")";
        }
        else if (message.startsWith("Cannot apply") || message.contains("Cannot assign") || message.contains("cannot be cast")) {
            code = ErrorCode.TYPE_MISMATCH;
        }
        else if (message.contains("is not being grouped") || message.contains("Expression") && message.contains("GROUP BY")) {
            code = ErrorCode.GENERIC_USER_ERROR;
        }
        else if (message.contains("ambiguous")) {
            code = ErrorCode.AMBIGUOUS_NAME;
        }
        return new GlauxException(code, location, message, null);
    }

    private static String firstLine(String message)
    {
        if (message == null) {
            return "";
        }
        int newline = message.indexOf('\n');
        return (newline < 0 ? message : message.substring(0, newline)).trim();
    }

    private static CalciteConnectionConfig connectionConfig()
    {
        Properties properties = new Properties();
        properties.setProperty(CalciteConnectionProperty.CASE_SENSITIVE.camelName(), "false");
        properties.setProperty(CalciteConnectionProperty.UNQUOTED_CASING.camelName(), Casing.TO_LOWER.name());
        properties.setProperty(CalciteConnectionProperty.QUOTED_CASING.camelName(), Casing.UNCHANGED.name());
        return new CalciteConnectionConfigImpl(properties);
    }

    /** Resolves names against several schema paths (session schema, session catalog, root). */
    private static final class SessionCatalogReader
            extends CalciteCatalogReader
    {
        private final Consumer<List<String>> relations;

        SessionCatalogReader(CalciteSchema rootSchema, List<List<String>> paths, JavaTypeFactory typeFactory, CalciteConnectionConfig config,
                Consumer<List<String>> relations)
        {
            super(rootSchema, SqlNameMatchers.withCaseSensitive(false), paths, typeFactory, config);
            this.relations = relations;
        }

        /** Every relation the converter reads comes through here: it is reported before it is used. */
        @Override
        public org.apache.calcite.prepare.Prepare.PreparingTable getTable(List<String> names)
        {
            org.apache.calcite.prepare.Prepare.PreparingTable table = super.getTable(names);
            if (table != null) {
                relations.accept(table.getQualifiedName());
            }
            return table;
        }
    }
}
