package io.glaux.coordinator.statement;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.coordinator.ddl.DdlExecutor;
import io.glaux.coordinator.execution.EngineExecution;
import io.glaux.coordinator.execution.QueryExecution;
import io.glaux.coordinator.execution.StageStatistics;
import io.glaux.coordinator.execution.WorkerClients;
import io.glaux.coordinator.node.NodeManager;
import io.glaux.coordinator.planner.ExplainText;
import io.glaux.coordinator.planner.QueryPlanner;
import io.glaux.coordinator.security.AccessControl;
import io.glaux.coordinator.security.StatementAuthorizer;
import io.glaux.coordinator.sql.ast.Statement;
import io.glaux.coordinator.query.Query;
import io.glaux.coordinator.query.QueryState;
import io.glaux.coordinator.query.QueryStats;
import io.glaux.coordinator.query.ResultColumn;
import io.glaux.coordinator.query.SessionProperties;
import io.glaux.coordinator.query.StatementResult;
import io.glaux.coordinator.query.StatementRunner;
import io.glaux.engine.memory.MemoryPool;
import io.glaux.engine.memory.QueryMemoryContext;
import io.glaux.engine.memory.SpillSpace;
import io.glaux.engine.operator.QueryContext;
import io.glaux.spi.error.ErrorCode;
import io.glaux.coordinator.sql.ast.SqlGlauxStatement;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;

import java.util.ArrayList;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Runs a statement: Glaux's grammar parses it; Athena/Hive statements (DDL, SHOW, DESCRIBE, USE, MSCK)
 * go to the {@link DdlExecutor}, queries are planned with Calcite and executed.
 */
public final class SqlStatementRunner
        implements StatementRunner
{
    private final QueryPlanner planner;
    private final Catalog catalog;
    private final ObjectStore objectStore;
    private final NodeManager nodeManager;
    private final WorkerClients workerClients;
    private final BufferAllocator allocator;
    private final String catalogName;
    private final long maxSplitSize;
    private final DdlExecutor ddl;
    private final ClientStatements clientStatements;
    private final MemoryPool memoryPool;
    private final long maxMemoryPerNode;
    private final Optional<Path> spillPath;
    private final StatementAuthorizer authorizer;

    /** {@code join-max-broadcast-table-size}: the broadcast limit of a session that does not set join_max_broadcast_table_size. */
    private final long joinMaxBroadcastTableSize;

    public SqlStatementRunner(CalciteSchema rootSchema, Catalog catalog, ObjectStore objectStore, NodeManager nodeManager,
            WorkerClients workerClients, BufferAllocator allocator, String catalogName, long maxSplitSize, long maxMemoryPerNode, Optional<Path> spillPath,
            AccessControl accessControl, long joinMaxBroadcastTableSize)
    {
        this.joinMaxBroadcastTableSize = joinMaxBroadcastTableSize;
        this.authorizer = new StatementAuthorizer(accessControl, catalogName);
        this.memoryPool = new MemoryPool(Math.max(maxMemoryPerNode, MemoryPool.defaultMaxBytes()));
        this.maxMemoryPerNode = maxMemoryPerNode;
        this.spillPath = requireNonNull(spillPath, "spillPath is null");
        this.planner = new QueryPlanner(requireNonNull(rootSchema, "rootSchema is null"));
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.objectStore = requireNonNull(objectStore, "objectStore is null");
        this.nodeManager = requireNonNull(nodeManager, "nodeManager is null");
        this.workerClients = requireNonNull(workerClients, "workerClients is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
        this.maxSplitSize = maxSplitSize;
        this.ddl = new DdlExecutor(catalog, objectStore, catalogName, planner);
        this.clientStatements = new ClientStatements(planner, authorizer::checkRelation, Map.of(
                SessionProperties.JOIN_MAX_BROADCAST_TABLE_SIZE, SessionProperties.formatDataSize(joinMaxBroadcastTableSize),
                SessionProperties.QUERY_MAX_MEMORY, SessionProperties.formatDataSize(maxMemoryPerNode)));
    }

    /** Bytes the queries running on the coordinator hold now (0 when none runs). */
    public long reservedQueryMemory()
    {
        return memoryPool.reservedBytes();
    }

    @Override
    public StatementResult run(Query query)
    {
        // the session properties the client sent: an unknown one or a bad value fails the statement
        SessionProperties.validate(query.session());
        String sql = stripTrailingSemicolon(query.sql());
        try {
            return run(query, QueryPlanner.parse(sql), sql);
        }
        catch (GlauxException e) {
            // the parser read date_diff and normalize calls quoted: report the column as the user wrote it
            if (e.location().isPresent()) {
                ErrorLocation location = QueryPlanner.userLocation(sql, e.location().get());
                if (!location.equals(e.location().get())) {
                    throw new GlauxException(e.errorCode(), location, e.rawMessage(), e);
                }
            }
            throw e;
        }
    }

    /** Runs a parsed statement whose text is {@code sql} (a prepared statement's, for EXECUTE). */
    private StatementResult run(Query query, SqlNode parsed, String sql)
    {
        if (parsed instanceof SqlGlauxStatement statement && statement.statement() instanceof Statement.ClientStatement client) {
            return clientStatements.execute(client, query, sql, this::run);
        }
        if (parsed instanceof SqlGlauxStatement statement && statement.statement() instanceof Statement.Explain explain) {
            return explain(query, explain);
        }
        if (parsed instanceof SqlGlauxStatement statement) {
            authorizer.check(statement.statement(), query.session());
            if (statement.statement() instanceof Statement.CreateView create) {
                checkViewQuery(query, sql, create);
            }
            return ddl.execute(statement.statement(), sql, query.session(), rewritten -> execute(query, QueryPlanner.parse(rewritten)));
        }
        if (!parsed.isA(SqlKind.QUERY)) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, new ErrorLocation(Math.max(1, parsed.getParserPosition().getLineNum()),
                    Math.max(1, parsed.getParserPosition().getColumnNum())), parsed.getKind().sql + " statements are not supported", null);
        }
        return execute(query, parsed);
    }

    /**
     * Checks each table or view the planner resolves; a denial points at where the query names it
     * (a table read through a view has no place in the text: the error then has none).
     */
    private java.util.function.Consumer<List<String>> relationCheck(Query query, SqlNode parsed)
    {
        return relation -> {
            try {
                authorizer.checkRelation(query.session().user(), relation);
            }
            catch (GlauxException e) {
                if (e.location().isPresent() || relation.isEmpty()) {
                    throw e;
                }
                Optional<org.apache.calcite.sql.parser.SqlParserPos> position = namePosition(parsed, relation.getLast());
                throw position.map(pos -> new GlauxException(e.errorCode(), new ErrorLocation(Math.max(1, pos.getLineNum()), Math.max(1, pos.getColumnNum())),
                        e.rawMessage(), null)).orElse(e);
            }
        };
    }

    /** Where the text first names {@code table} (an identifier ending with it). */
    private static Optional<org.apache.calcite.sql.parser.SqlParserPos> namePosition(SqlNode parsed, String table)
    {
        List<org.apache.calcite.sql.parser.SqlParserPos> found = new ArrayList<>();
        parsed.accept(new org.apache.calcite.sql.util.SqlBasicVisitor<Void>()
        {
            @Override
            public Void visit(org.apache.calcite.sql.SqlIdentifier identifier)
            {
                if (!identifier.isStar() && identifier.names.getLast().equalsIgnoreCase(table) && identifier.getParserPosition().getLineNum() > 0) {
                    found.add(identifier.getParserPosition());
                }
                return null;
            }
        });
        return found.stream().min(java.util.Comparator.comparingInt(org.apache.calcite.sql.parser.SqlParserPos::getLineNum)
                .thenComparingInt(org.apache.calcite.sql.parser.SqlParserPos::getColumnNum));
    }

    /**
     * A view is defined only by someone who may read what it reads (its column names and types would
     * tell otherwise). Other errors of the view's query are left to the executor, which positions them.
     */
    private void checkViewQuery(Query query, String sql, Statement.CreateView create)
    {
        if (authorizer.accessControl() == AccessControl.allowAll()) {
            return;
        }
        String text = sql.substring(org.apache.calcite.sql.parser.SqlParserUtil.lineColToIndex(sql, create.queryPos().getLineNum(), create.queryPos().getColumnNum()));
        try {
            planner.plan(QueryPlanner.parse(text.strip()), query.session().catalog(), query.session().schema(), query.session().user(),
                    relation -> authorizer.checkRelation(query.session().user(), relation));
        }
        catch (GlauxException e) {
            if (e.errorCode() == ErrorCode.ACCESS_DENIED) {
                throw new GlauxException(e.errorCode(), new ErrorLocation(Math.max(1, create.queryPos().getLineNum()), Math.max(1, create.queryPos().getColumnNum())),
                        e.rawMessage(), null);
            }
        }
    }

    private StatementResult execute(Query query, SqlNode parsed)
    {
        QueryPlanner.Plan plan = planner.plan(parsed, query.session().catalog(), query.session().schema(), query.session().user(),
                query.session().effectiveTimeZone(), query.session().joinDistributionType(), maxBroadcastBytes(query), relationCheck(query, parsed));
        query.setPlan(plan.explain());
        List<ResultColumn> columns = new ArrayList<>();
        List<RelDataType> types = plan.rowType().getFieldList().stream().map(field -> field.getType()).toList();
        for (int i = 0; i < types.size(); i++) {
            columns.add(new ResultColumn(plan.columnNames().get(i), types.get(i)));
        }
        QueryExecution execution = new QueryExecution(query, catalog, objectStore, nodeManager, workerClients,
                allocator.newChildAllocator("query-" + query.id(), 0, Long.MAX_VALUE), maxSplitSize, maxBroadcastBytes(query));
        return executeInEngine(query, plan, columns, execution);
    }

    /**
     * EXPLAIN [ANALYZE] [(TYPE LOGICAL | DISTRIBUTED)]: the engine's plan in stages (ANALYZE runs the
     * query first and adds what each operator did).
     */
    private StatementResult explain(Query query, Statement.Explain explain)
    {
        String type = "LOGICAL";
        for (String option : explain.options()) {
            String[] parts = option.split("=", 2);
            switch (parts[0]) {
                case "TYPE" -> type = parts[1];
                case "FORMAT" -> {
                    if (!parts[1].equals("TEXT")) {
                        throw new GlauxException(ErrorCode.NOT_SUPPORTED, "EXPLAIN format " + parts[1] + " is not supported (TEXT is)");
                    }
                }
                default -> throw new GlauxException(ErrorCode.GENERIC_USER_ERROR, "Unknown EXPLAIN option " + parts[0]);
            }
        }
        if (!type.equals("LOGICAL") && !type.equals("DISTRIBUTED")) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "EXPLAIN type " + type + " is not supported (LOGICAL and DISTRIBUTED are)");
        }
        QueryPlanner.Plan plan = planner.plan(explain.query(), query.session().catalog(), query.session().schema(), query.session().user(),
                query.session().effectiveTimeZone(), query.session().joinDistributionType(), maxBroadcastBytes(query), relationCheck(query, explain.query()));
        String text;
        if (explain.analyze()) {
            QueryExecution execution = new QueryExecution(query, catalog, objectStore, nodeManager, workerClients,
                    allocator.newChildAllocator("query-" + query.id(), 0, Long.MAX_VALUE), maxSplitSize, maxBroadcastBytes(query));
            EngineExecution engine = startEngine(query, plan, execution);
            long rows = 0;
            try (execution; engine) {
                Iterator<?> iterator = engine.rows();
                while (iterator.hasNext()) {
                    iterator.next();
                    rows++;
                }
                text = ExplainText.distributed(plan.engine(), engine.stats()) + String.format(java.util.Locale.ROOT,
                        "\nQuery: %,d output rows; scanned %,d rows, %s%n", rows, query.stats().processedRows.get(),
                        io.glaux.engine.memory.DataSize.format(query.stats().processedBytes.get()));
                for (String decision : query.stats().runtimeDecisions) {
                    text += "Run time: " + decision + "\n";
                }
            }
        }
        else {
            text = ExplainText.distributed(plan.engine(), Map.of());
        }
        RelDataType varchar = planner.typeFactory().createSqlType(org.apache.calcite.sql.type.SqlTypeName.VARCHAR);
        return StatementResult.of(List.of(new ResultColumn("Query Plan", varchar)), List.<Object[]>of(new Object[] {text}));
    }

    /** The largest build side the query's joins broadcast: its session's join_max_broadcast_table_size, else the coordinator's. */
    private long maxBroadcastBytes(Query query)
    {
        return query.session().joinMaxBroadcastTableSize().orElse(joinMaxBroadcastTableSize);
    }

    /** Rows per page of an engine result (as the protocol's pages of encoded rows). */
    private static final int RESULT_PAGE_ROWS = 4096;

    private StatementResult executeInEngine(Query query, QueryPlanner.Plan plan, List<ResultColumn> columns, QueryExecution execution)
    {
        EngineExecution engine = startEngine(query, plan, execution);
        // the protocol's stats read the running engine's numbers, then (below) what they were at its end
        query.stats().setExecution(state -> engine.execution(query.stats(), state));
        AutoCloseable resources = () -> {
            try {
                // what the operators did, for the console's query detail (EXPLAIN ANALYZE's numbers)
                query.setPlan(ExplainText.distributed(plan.engine(), engine.stats()));
                query.setStages(StageStatistics.of(plan.engine(), engine.stats(), query.stats()));
                QueryStats.Execution finished = engine.execution(query.stats(), QueryState.FINISHED);
                QueryStats.Execution failed = engine.execution(query.stats(), QueryState.FAILED);
                // closed: what it did, without holding on to its operators
                query.stats().setExecution(state -> state == QueryState.FAILED ? failed : finished);
                engine.close();
            }
            finally {
                execution.close();
            }
        };
        return new StatementResult(columns, engine.pages(columns, RESULT_PAGE_ROWS), resources, Optional.empty(), Optional.empty(), Optional.empty());
    }

    /** The engine's operators for the plan, in the query's own memory; on failure the scans are closed too. */
    private EngineExecution startEngine(Query query, QueryPlanner.Plan plan, QueryExecution execution)
    {
        QueryMemoryContext memory;
        try {
            // the session's query_max_memory may lower query.max-memory-per-node, never raise it
            long sessionLimit = query.session().queryMaxMemory().orElse(Long.MAX_VALUE);
            memory = sessionLimit < maxMemoryPerNode
                    ? new QueryMemoryContext(query.id(), memoryPool, sessionLimit, "session property " + SessionProperties.QUERY_MAX_MEMORY, allocator)
                    : new QueryMemoryContext(query.id(), memoryPool, maxMemoryPerNode, allocator);
        }
        catch (RuntimeException e) {
            execution.close();
            throw e;
        }
        try {
            return new EngineExecution(plan.engine(), execution, new QueryContext(memory, spillDirectory(query), new QueryContext.Cancellation(() -> query.isCanceled() || query.state().isDone()),
                    SpillSpace.unlimited(), 1, new ConcurrentHashMap<>()), query::isCanceled);
        }
        catch (RuntimeException e) {
            try {
                memory.close();
            }
            finally {
                execution.close();
            }
            throw e;
        }
    }

    /** The query's own folder under {@code spill.path}, created now; EngineExecution deletes it. */
    private Optional<Path> spillDirectory(Query query)
    {
        if (spillPath.isEmpty()) {
            return Optional.empty();
        }
        Path directory = spillPath.get().resolve(query.id());
        try {
            java.nio.file.Files.createDirectories(directory);
        }
        catch (java.io.IOException e) {
            throw new GlauxException(ErrorCode.GENERIC_INTERNAL_ERROR, "Cannot create the spill folder " + directory + ": " + e.getMessage(), e);
        }
        return Optional.of(directory);
    }

    private static String stripTrailingSemicolon(String sql)
    {
        String trimmed = sql.strip();
        while (trimmed.endsWith(";")) {
            trimmed = trimmed.substring(0, trimmed.length() - 1).strip();
        }
        return trimmed;
    }
}
