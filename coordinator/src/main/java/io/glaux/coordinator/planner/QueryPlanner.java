package io.glaux.coordinator.planner;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.query.SessionProperties.JoinDistributionType;
import io.glaux.coordinator.sql.parser.GlauxSqlParserImpl;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.avatica.util.Casing;
import org.apache.calcite.avatica.util.Quoting;
import org.apache.calcite.config.CalciteConnectionConfig;
import org.apache.calcite.config.CalciteConnectionConfigImpl;
import org.apache.calcite.config.CalciteConnectionProperty;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.plan.ConventionTraitDef;
import org.apache.calcite.plan.RelOptCluster;
import org.apache.calcite.plan.RelOptTable;
import org.apache.calcite.plan.RelOptUtil;
import org.apache.calcite.plan.hep.HepPlanner;
import org.apache.calcite.plan.hep.HepMatchOrder;
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
import org.apache.calcite.sql.SqlOperatorTable;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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
            SqlLibraryOperatorTableFactory.INSTANCE.getOperatorTable(List.of(SqlLibrary.POSTGRESQL), false),
            TrinoAggregates.TABLE));

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
                    // WHERE conditions of comma joins become join conditions (hash joins, not cross joins)
                    CoreRules.FILTER_INTO_JOIN,
                    CoreRules.JOIN_CONDITION_PUSH,
                    CoreRules.PROJECT_MERGE,
                    CoreRules.PROJECT_REMOVE,
                    CoreRules.AGGREGATE_PROJECT_MERGE))
            .build();

    /**
     * Inner joins are ordered by {@link JoinOrder} (a search over the joined inputs by their estimated
     * sizes, from the tables' row counts and column statistics); a tree too large for it that would
     * cross join in the FROM order ({@code FROM part, supplier, partsupp WHERE ...}) becomes one
     * MultiJoin, which Calcite plans again with its conditions. Build sides follow the inputs' sizes
     * ({@link JoinStatistics#smallerSideBuilt}).
     */
    private static final HepProgram JOIN_ORDER = new HepProgramBuilder()
            .addMatchOrder(HepMatchOrder.BOTTOM_UP)
            .addRuleInstance(CoreRules.JOIN_TO_MULTI_JOIN)
            .addRuleInstance(CoreRules.MULTI_JOIN_OPTIMIZE)
            .build();

    private final CalciteSchema rootSchema;
    private final JavaTypeFactory typeFactory = new GlauxTypeFactory();

    public QueryPlanner(CalciteSchema rootSchema)
    {
        this.rootSchema = requireNonNull(rootSchema, "rootSchema is null");
    }

    public JavaTypeFactory typeFactory()
    {
        return typeFactory;
    }

    /** A planned query: its result type and column names, and the engine's plan that runs it. */
    public record Plan(RelDataType rowType, List<String> columnNames, PhysicalPlanner.EnginePlan engine, String explain)
    {
        public Plan
        {
            requireNonNull(rowType, "rowType is null");
            columnNames = List.copyOf(columnNames);
            requireNonNull(engine, "engine is null");
            requireNonNull(explain, "explain is null");
        }
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
        return plan(parsed, catalog, schema, user, java.time.ZoneOffset.UTC, relations);
    }

    /** As {@link #plan(SqlNode, String, String, String, Consumer)}, with {@code current_timestamp} and {@code current_date} in {@code timeZone}. */
    public Plan plan(SqlNode parsed, String catalog, String schema, String user, java.time.ZoneId timeZone, Consumer<List<String>> relations)
    {
        return plan(parsed, catalog, schema, user, timeZone, JoinDistributionType.AUTOMATIC, JoinStatistics.BROADCAST_MAX_BYTES, relations);
    }

    /**
     * {@link #plan(SqlNode, String, String, String, java.time.ZoneId, Consumer)} with the session's
     * {@code join_distribution_type} and, for AUTOMATIC, the largest estimated build side it broadcasts
     * ({@code join_max_broadcast_table_size}, else {@code join-max-broadcast-table-size}).
     */
    public Plan plan(SqlNode parsed, String catalog, String schema, String user, java.time.ZoneId timeZone, JoinDistributionType joinDistribution,
            long maxBroadcastBytes, Consumer<List<String>> relations)
    {
        return RexTranslator.withSessionZone(timeZone, () -> planInZone(parsed, catalog, schema, user, timeZone, joinDistribution, maxBroadcastBytes, relations));
    }

    private Plan planInZone(SqlNode parsed, String catalog, String schema, String user, java.time.ZoneId timeZone, JoinDistributionType joinDistribution,
            long maxBroadcastBytes, Consumer<List<String>> relations)
    {
        SessionValues session = new SessionValues(catalog, schema, user, timeZone, java.time.Instant.now());
        parsed = SessionFunctions.inline(parsed, catalog, schema, user, timeZone, session.start());
        CalciteConnectionConfig config = connectionConfig();
        List<List<String>> paths = List.of(List.of(catalog, schema), List.of(catalog), List.of());
        CalciteCatalogReader catalogReader = new SessionCatalogReader(rootSchema, paths, typeFactory, config, relations);
        SqlValidator validator = validator(catalogReader);
        SqlNode validated;
        try {
            validated = validator.validate(LambdaSyntax.rewrite(RowFieldReferences.rewrite(TrinoFunctions.rewriteAggregates(ArraySyntax.rewrite(parsed)))));
        }
        catch (CalciteContextException e) {
            throw validationError(e, parsed);
        }

        VolcanoPlanner planner = new VolcanoPlanner();
        planner.addRelTraitDef(ConventionTraitDef.INSTANCE);
        planner.addRelTraitDef(RelCollationTraitDef.INSTANCE);
        planner.setExecutor(new GlauxRexExecutor());
        RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));
        SqlToRelConverter converter = UnnestOrdinality.converter(new ViewExpander(cluster, config, relations, session), validator, catalogReader, cluster, StandardConvertletTable.INSTANCE,
                SqlToRelConverter.config().withTrimUnusedFields(true).withExpand(false));
        RelRoot root = converter.convertQuery(validated, false, true);
        if (WithTies.isMarked(validated)) {
            root = root.withRel(WithTies.expand(root.rel, RelFactories.LOGICAL_BUILDER.create(cluster, catalogReader)));
        }
        RelNode logical = root.project();
        List<String> names = new ArrayList<>();
        for (String name : root.validatedRowType.getFieldNames()) {
            // an unnamed expression is _col<position> in Trino, EXPR$<n> in Calcite
            names.add(name.startsWith("EXPR$") ? "_col" + names.size() : name);
        }

        // the engine runs the plan with subqueries turned into (decorrelated) joins; what it cannot run
        // fails with NOT_SUPPORTED naming the operator or function (there is no other executor)
        RelNode enginePlan;
        PhysicalPlanner.EnginePlan engine;
        try {
            enginePlan = pushDown(withoutSubQueries(logical, RelFactories.LOGICAL_BUILDER.create(cluster, catalogReader)), validator, cluster, catalogReader);
            engine = PhysicalPlanner.translate(enginePlan, user, joinDistribution, maxBroadcastBytes);
        }
        catch (GlauxException e) {
            // a correlation the engine cannot run: said at the subquery's place
            throw e.errorCode() == ErrorCode.NOT_SUPPORTED && e.location().isEmpty()
                    && (e.getMessage().contains("correlated") || e.getMessage().contains("lateral")) ? correlatedSubquery(e, validated) : e;
        }
        return new Plan(root.validatedRowType, names, engine, RelOptUtil.toString(enginePlan));
    }

    private static RelNode pushDown(RelNode logical, SqlValidator validator, RelOptCluster cluster, CalciteCatalogReader catalogReader)
    {
        HepPlanner hep = new HepPlanner(NORMALIZE);
        hep.setRoot(pullCommonFactors(widenDecimalAverages(logical)));
        RelNode normalized = hep.findBestExp();
        if (hasNode(normalized, org.apache.calcite.rel.core.Join.class)) {
            // every tree of inner joins in the order its estimated sizes make cheapest
            RelNode reordered = JoinOrder.apply(normalized);
            if (reordered != normalized) {
                HepPlanner again = new HepPlanner(NORMALIZE);
                again.setRoot(reordered);
                normalized = again.findBestExp();
            }
        }
        if (hasCrossJoin(normalized)) {
            HepPlanner joins = new HepPlanner(JOIN_ORDER);
            joins.setRoot(normalized);
            RelNode reordered = joins.findBestExp();
            if (!hasNode(reordered, org.apache.calcite.rel.rules.MultiJoin.class)) {
                HepPlanner again = new HepPlanner(NORMALIZE);
                again.setRoot(reordered);
                normalized = again.findBestExp();
            }
        }
        // EXISTS / IN / NOT EXISTS: SEMI and ANTI joins instead of a distinct grouping joined back
        normalized = SemiJoins.apply(normalized);
        if (hasNode(normalized, org.apache.calcite.rel.core.Join.class)) {
            normalized = JoinStatistics.smallerSideBuilt(normalized, RelFactories.LOGICAL_BUILDER.create(cluster, catalogReader));
        }
        return Pushdown.apply(normalized, new ScanFieldTrimmer(validator, RelFactories.LOGICAL_BUILDER.create(cluster, catalogReader)));
    }

    private static RelNode withoutSubQueries(RelNode logical, org.apache.calcite.tools.RelBuilder relBuilder)
    {
        if (!hasSubQueryOrWindow(logical)) {
            // most queries: nothing for the rules or the decorrelator to do, which still cost planning time
            return logical;
        }
        HepPlanner hep = new HepPlanner(SUBQUERIES);
        hep.setRoot(logical);
        // correlated EXISTS / NOT EXISTS: SEMI and ANTI joins on the subquery's condition, before the decorrelator copies the outer query
        RelNode rewritten = SemiJoins.correlated(hep.findBestExp());
        if (orderedAggregateUnderCorrelate(rewritten, false)) {
            // the decorrelator moves the aggregate's input columns without moving its ORDER BY keys: make them arguments
            rewritten = OrderedAggregates.keysAsArguments(rewritten);
        }
        try {
            return RelDecorrelator.decorrelateQuery(rewritten, relBuilder);
        }
        catch (RuntimeException e) {
            // Calcite cannot decorrelate everything; the plan keeps its Correlate nodes
            return rewritten;
        }
    }

    /**
     * A condition that ORs conjunctions with a common part ({@code (a = b AND x) OR (a = b AND y)},
     * TPC-H q19) has the common part pulled out ({@code a = b AND (x OR y)}), so that it can become a
     * hash join's key instead of a nested-loop join's filter.
     */
    private static RelNode pullCommonFactors(RelNode plan)
    {
        return plan.accept(new org.apache.calcite.rel.RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                RelNode node = super.visit(other);
                if (node instanceof org.apache.calcite.rel.logical.LogicalFilter filter && filter.getCondition().getKind() == SqlKind.OR) {
                    org.apache.calcite.rex.RexNode pulled = RexUtil.pullFactors(filter.getCluster().getRexBuilder(), filter.getCondition());
                    if (!pulled.equals(filter.getCondition())) {
                        return filter.copy(filter.getTraitSet(), filter.getInput(), pulled);
                    }
                }
                return node;
            }
        });
    }

    /**
     * avg(decimal(p, s)) is decimal(p, s) as in Trino, but AVG is reduced to SUM / COUNT with the sum
     * cast to the average's type first, which overflows (avg of decimal(12,2) prices in TPC-H q1). The
     * average is computed as decimal(38, s) and cast back to decimal(p, s) above the aggregation.
     */
    private static RelNode widenDecimalAverages(RelNode plan)
    {
        return plan.accept(new org.apache.calcite.rel.RelHomogeneousShuttle()
        {
            @Override
            public RelNode visit(RelNode other)
            {
                RelNode node = super.visit(other);
                if (!(node instanceof org.apache.calcite.rel.logical.LogicalAggregate aggregate)) {
                    return node;
                }
                var typeFactory = aggregate.getCluster().getTypeFactory();
                RexBuilder rexBuilder = aggregate.getCluster().getRexBuilder();
                RelNode input = aggregate.getInput();
                // the input's columns, then each widened average's argument cast to decimal(38, s)
                List<org.apache.calcite.rex.RexNode> inputs = new ArrayList<>();
                for (int i = 0; i < input.getRowType().getFieldCount(); i++) {
                    inputs.add(rexBuilder.makeInputRef(input, i));
                }
                List<org.apache.calcite.rel.core.AggregateCall> calls = new ArrayList<>();
                for (org.apache.calcite.rel.core.AggregateCall call : aggregate.getAggCallList()) {
                    RelDataType type = call.getType();
                    if (call.getAggregation().getKind() == SqlKind.AVG && call.getArgList().size() == 1
                            && type.getSqlTypeName() == org.apache.calcite.sql.type.SqlTypeName.DECIMAL && type.getPrecision() < 38) {
                        org.apache.calcite.rex.RexNode argument = rexBuilder.makeInputRef(input, call.getArgList().getFirst());
                        RelDataType wide = typeFactory.createTypeWithNullability(
                                typeFactory.createSqlType(org.apache.calcite.sql.type.SqlTypeName.DECIMAL, 38, argument.getType().getScale()), argument.getType().isNullable());
                        inputs.add(rexBuilder.makeCast(wide, argument));
                        calls.add(org.apache.calcite.rel.core.AggregateCall.create(call.getParserPosition(), call.getAggregation(), call.isDistinct(), call.isApproximate(), call.ignoreNulls(),
                                call.rexList, List.of(inputs.size() - 1), call.filterArg, call.distinctKeys, call.getCollation(), typeFactory.createTypeWithNullability(wide, type.isNullable()), call.name));
                    }
                    else {
                        calls.add(call);
                    }
                }
                if (inputs.size() == input.getRowType().getFieldCount()) {
                    return node;
                }
                RelNode widenedInput = org.apache.calcite.rel.logical.LogicalProject.create(input, List.of(), inputs,
                        java.util.stream.IntStream.range(0, inputs.size()).mapToObj(i -> i < input.getRowType().getFieldCount() ? input.getRowType().getFieldNames().get(i) : "$wide" + i).toList(), java.util.Set.of());
                RelNode wide = aggregate.copy(aggregate.getTraitSet(), widenedInput, aggregate.getGroupSet(), aggregate.getGroupSets(), calls);
                List<org.apache.calcite.rex.RexNode> projects = new ArrayList<>();
                for (org.apache.calcite.rel.type.RelDataTypeField field : aggregate.getRowType().getFieldList()) {
                    org.apache.calcite.rex.RexNode reference = rexBuilder.makeInputRef(wide, field.getIndex());
                    projects.add(reference.getType().equals(field.getType()) ? reference : rexBuilder.makeCast(field.getType(), reference, true, false));
                }
                return org.apache.calcite.rel.logical.LogicalProject.create(wide, List.of(), projects, aggregate.getRowType().getFieldNames(), java.util.Set.of());
            }
        });
    }

    /** Whether the plan has an inner join without a condition (a comma join whose condition is elsewhere). */
    private static boolean hasCrossJoin(RelNode node)
    {
        if (node instanceof org.apache.calcite.rel.core.Join join && join.getJoinType() == org.apache.calcite.rel.core.JoinRelType.INNER && join.getCondition().isAlwaysTrue()) {
            return true;
        }
        return node.getInputs().stream().anyMatch(QueryPlanner::hasCrossJoin);
    }

    private static boolean hasNode(RelNode node, Class<? extends RelNode> type)
    {
        return type.isInstance(node) || node.getInputs().stream().anyMatch(input -> hasNode(input, type));
    }

    /**
     * {@code failure} (the engine cannot run a correlation the decorrelator left) with the place of the
     * first LATERAL subquery of the statement, else of its first subquery, as line:column.
     */
    private static GlauxException correlatedSubquery(GlauxException failure, SqlNode validated)
    {
        SqlNode[] lateral = new SqlNode[1];
        SqlNode[] subquery = new SqlNode[1];
        validated.accept(new org.apache.calcite.sql.util.SqlShuttle()
        {
            private int depth;

            @Override
            public SqlNode visit(org.apache.calcite.sql.SqlCall call)
            {
                if (call.getKind() == SqlKind.LATERAL && lateral[0] == null) {
                    lateral[0] = call;
                }
                boolean select = call instanceof org.apache.calcite.sql.SqlSelect;
                if (select && depth > 0 && subquery[0] == null) {
                    subquery[0] = call;
                }
                if (select) {
                    depth++;
                }
                try {
                    return super.visit(call);
                }
                finally {
                    if (select) {
                        depth--;
                    }
                }
            }
        });
        SqlNode at = lateral[0] != null ? lateral[0] : subquery[0];
        if (at == null || at.getParserPosition().getLineNum() < 1) {
            return failure;
        }
        return new GlauxException(failure.errorCode(), new ErrorLocation(at.getParserPosition().getLineNum(), at.getParserPosition().getColumnNum()),
                failure.getMessage(), null);
    }

    /** Whether an aggregate call with ORDER BY is on the right of a Correlate (a correlated subquery) under {@code node}. */
    private static boolean orderedAggregateUnderCorrelate(RelNode node, boolean correlated)
    {
        if (correlated && node instanceof org.apache.calcite.rel.core.Aggregate aggregate
                && aggregate.getAggCallList().stream().anyMatch(call -> !call.collation.getFieldCollations().isEmpty())) {
            return true;
        }
        if (node instanceof org.apache.calcite.rel.core.Correlate correlate) {
            return orderedAggregateUnderCorrelate(correlate.getLeft(), correlated) || orderedAggregateUnderCorrelate(correlate.getRight(), true);
        }
        for (RelNode input : node.getInputs()) {
            if (orderedAggregateUnderCorrelate(input, correlated)) {
                return true;
            }
        }
        return false;
    }

    /** Whether {@code node} is an UNNEST, under projections. */
    private static boolean unnests(RelNode node)
    {
        while (node instanceof org.apache.calcite.rel.core.Project project) {
            node = project.getInput();
        }
        return node instanceof org.apache.calcite.rel.core.Uncollect;
    }

    /** Whether any node of the plan has a subquery (IN, EXISTS, scalar) or a windowed expression. */
    private static boolean hasSubQueryOrWindow(RelNode node)
    {
        boolean here = switch (node) {
            case org.apache.calcite.rel.core.Filter filter -> RexUtil.SubQueryFinder.containsSubQuery(filter);
            case org.apache.calcite.rel.core.Project project -> RexUtil.SubQueryFinder.containsSubQuery(project)
                    || org.apache.calcite.rex.RexOver.containsOver(project.getProjects(), null);
            case org.apache.calcite.rel.core.Join join -> RexUtil.SubQueryFinder.containsSubQuery(join);
            // a LATERAL subquery is a Correlate already (the decorrelator turns it into joins); a lateral UNNEST stays one
            case org.apache.calcite.rel.core.Correlate correlate -> !unnests(correlate.getRight());
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
            validated = validator.validate(LambdaSyntax.rewrite(RowFieldReferences.rewrite(TrinoFunctions.rewriteAggregates(ArraySyntax.rewrite(parsed)))));
        }
        catch (CalciteContextException e) {
            throw validationError(e, parsed);
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

    /** The place in {@code sql} as written of an error's {@code location} in the text the parser read. */
    public static ErrorLocation userLocation(String sql, ErrorLocation location)
    {
        return TrinoFunctions.unquotedLocation(sql, location);
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
            validated = validator.validate(LambdaSyntax.rewrite(RowFieldReferences.rewrite(TrinoFunctions.rewriteAggregates(parse(sql)))));
        }
        catch (CalciteContextException e) {
            throw validationError(e, null);
        }
        VolcanoPlanner planner = new VolcanoPlanner();
        RelOptCluster cluster = RelOptCluster.create(planner, new RexBuilder(typeFactory));
        SqlToRelConverter converter = UnnestOrdinality.converter(new ViewExpander(cluster, config, relation -> { }, new SessionValues(catalog, schema, "", java.time.ZoneOffset.UTC, java.time.Instant.now())), validator, catalogReader, cluster, StandardConvertletTable.INSTANCE,
                SqlToRelConverter.config().withTrimUnusedFields(false).withExpand(false));
        return converter.convertQuery(validated, false, true).project();
    }

    /** Parses one statement: a query, or a Glaux statement ({@link io.glaux.coordinator.sql.ast.SqlGlauxStatement}). */
    public static SqlNode parse(String sql)
    {
        StatementSize.check(sql);
        try {
            List<Integer> ties = new ArrayList<>();
            String quoted = WithTies.withFetchCount(TrinoFunctions.quoteCalls(ListaggOverflow.rewrite(sql)));
            SqlNode parsed = SqlParser.create(WithTies.rewrite(quoted, ties), PARSER_CONFIG).parseStmt();
            if (parsed.isA(SqlKind.QUERY)) {
                parsed = TrinoAggregates.nullsLastInAggregateOrder(TrinoAggregates.castArguments(parsed));
            }
            return ties.isEmpty() ? parsed : WithTies.mark(parsed, quoted, ties);
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

    /** The session's values of {@code current_catalog}, {@code current_schema}, {@code current_user}; its zone and the query's start. */
    private record SessionValues(String catalog, String schema, String user, java.time.ZoneId zone, java.time.Instant start)
    {
    }

    /**
     * Expands a view (Calcite's {@code ViewTable}) into the query: its SQL is parsed, validated with
     * names resolving in the view's own {@code catalog.schema}, and converted in the same cluster. The
     * session functions it calls are the querying session's values (as in Trino, where a view's
     * {@code current_user} is the user running the query), inlined as constants like the query's own.
     */
    private final class ViewExpander
            implements RelOptTable.ViewExpander
    {
        private final RelOptCluster cluster;
        private final CalciteConnectionConfig config;
        private final Consumer<List<String>> relations;
        private final SessionValues session;

        ViewExpander(RelOptCluster cluster, CalciteConnectionConfig config, Consumer<List<String>> relations, SessionValues session)
        {
            this.cluster = cluster;
            this.config = config;
            this.relations = relations;
            this.session = session;
        }

        @Override
        public RelRoot expandView(RelDataType rowType, String queryString, List<String> schemaPath, List<String> viewPath)
        {
            String viewName = viewPath == null ? "view" : String.join(".", viewPath);
            SqlNode parsed;
            try {
                parsed = SessionFunctions.inline(parse(queryString), session.catalog(), session.schema(), session.user(), session.zone(), session.start());
            }
            catch (GlauxException e) {
                throw new GlauxException(e.errorCode(), "View " + viewName + " does not parse: " + e.getMessage(), e);
            }
            List<List<String>> paths = List.of(schemaPath, schemaPath.subList(0, Math.min(1, schemaPath.size())), List.of());
            CalciteCatalogReader reader = new SessionCatalogReader(rootSchema, paths, typeFactory, config, relations);
            SqlValidator validator = validator(reader);
            SqlNode validated;
            try {
                validated = validator.validate(LambdaSyntax.rewrite(RowFieldReferences.rewrite(TrinoFunctions.rewriteAggregates(ArraySyntax.rewrite(parsed)))));
            }
            catch (CalciteContextException e) {
                GlauxException error = validationError(e, parsed);
                throw new GlauxException(error.errorCode(), "View " + viewName + " is no longer valid: " + error.getMessage(), e);
            }
            SqlToRelConverter converter = UnnestOrdinality.converter(this, validator, reader, cluster, StandardConvertletTable.INSTANCE,
                    SqlToRelConverter.config().withTrimUnusedFields(true).withExpand(false));
            // Calcite's view table casts root.rel to the view's row type: project away what ORDER BY added
            RelRoot root = converter.convertQuery(validated, false, true);
            if (WithTies.isMarked(validated)) {
                root = root.withRel(WithTies.expand(root.rel, RelFactories.LOGICAL_BUILDER.create(cluster, reader)));
            }
            return RelRoot.of(root.project(), root.kind);
        }
    }

    private static final Pattern OBJECT_NOT_FOUND = Pattern.compile("Object '([^']*)' not found( within '([^']*)')?");
    private static final Pattern TABLE_NOT_FOUND = Pattern.compile("Table '([^']*)' not found");
    private static final Pattern COLUMN_NOT_FOUND = Pattern.compile("Column '([^']*)' not found in (any table|table '([^']*)')");
    private static final Pattern FUNCTION_NOT_FOUND = Pattern.compile("No match found for function signature ([^(]*)\\((.*)\\)");

    private static final Pattern ALIAS_DEGREE = Pattern.compile("table has (\\d+) columns \\(.*\\), whereas alias list has (\\d+) columns");

    private static GlauxException validationError(CalciteContextException e, SqlNode parsed)
    {
        ErrorLocation location = e.getPosLine() > 0 ? new ErrorLocation(e.getPosLine(), Math.max(1, e.getPosColumn())) : null;
        String message = e.getCause() != null && e.getCause().getMessage() != null ? e.getCause().getMessage() : firstLine(e.getMessage());
        Matcher matcher;
        ErrorCode code = ErrorCode.GENERIC_USER_ERROR;
        if ((matcher = OBJECT_NOT_FOUND.matcher(message)).find()) {
            // Trino names the part that is missing: the catalog, the schema or the table
            String missing = matcher.group(1);
            String within = matcher.group(3);
            int fromEnd = partFromEnd(parsed, e.getPosLine(), e.getPosColumn(), missing);
            String name = within != null ? within + "." + missing : missing;
            if (fromEnd == 2) {
                code = ErrorCode.CATALOG_NOT_FOUND;
                message = "Catalog '" + missing + "' not found";
            }
            else if (fromEnd == 1) {
                code = ErrorCode.SCHEMA_NOT_FOUND;
                message = "Schema '" + name + "' does not exist";
            }
            else {
                code = ErrorCode.TABLE_NOT_FOUND;
                message = "Table '" + name + "' does not exist";
            }
        }
        else if (message.startsWith("Column count mismatch in")) {
            code = ErrorCode.TYPE_MISMATCH;
            message = message.substring("Column count mismatch in ".length()) + " query has different number of fields";
        }
        else if (message.startsWith("WHERE clause must be a condition")) {
            code = ErrorCode.TYPE_MISMATCH;
            message = "WHERE clause must evaluate to a boolean";
        }
        else if (message.startsWith("HAVING clause must be a condition")) {
            code = ErrorCode.TYPE_MISMATCH;
            message = "HAVING clause must evaluate to a boolean";
        }
        else if ((matcher = ALIAS_DEGREE.matcher(message)).find()) {
            code = ErrorCode.MISMATCHED_COLUMN_ALIASES;
            message = "Column alias list has " + matcher.group(2) + " entries but relation has " + matcher.group(1) + " columns available";
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

    /**
     * Where {@code missing} stands in the qualified name at {@code line:column} of the query, counted
     * from its end (0 = the table, 1 = the schema, 2 = the catalog); 0 when the name is not found.
     */
    private static int partFromEnd(SqlNode parsed, int line, int column, String missing)
    {
        if (parsed == null) {
            return 0;
        }
        int[] found = {0};
        parsed.accept(new org.apache.calcite.sql.util.SqlBasicVisitor<Void>()
        {
            @Override
            public Void visit(org.apache.calcite.sql.SqlIdentifier id)
            {
                if (id.getParserPosition().getLineNum() == line && id.getParserPosition().getColumnNum() == column) {
                    for (int i = id.names.size() - 1; i >= 0; i--) {
                        if (id.names.get(i).equalsIgnoreCase(missing)) {
                            found[0] = id.names.size() - 1 - i;
                            break;
                        }
                    }
                }
                return null;
            }
        });
        return found[0];
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
