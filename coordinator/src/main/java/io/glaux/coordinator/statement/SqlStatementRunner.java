package io.glaux.coordinator.statement;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.coordinator.ddl.DdlExecutor;
import io.glaux.coordinator.execution.QueryExecution;
import io.glaux.coordinator.execution.WorkerClients;
import io.glaux.coordinator.node.NodeManager;
import io.glaux.coordinator.planner.QueryPlanner;
import io.glaux.coordinator.query.Query;
import io.glaux.coordinator.query.ResultColumn;
import io.glaux.coordinator.query.StatementResult;
import io.glaux.coordinator.query.StatementRunner;
import io.glaux.spi.error.ErrorCode;
import io.glaux.coordinator.sql.ast.SqlGlauxStatement;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlNode;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/**
 * Runs a statement: Glaux's grammar parses it; Athena/Hive statements (DDL, SHOW, DESCRIBE, USE, MSCK)
 * go to the {@link DdlExecutor}, queries are planned with Calcite and executed.
 */
public final class SqlStatementRunner
        implements StatementRunner
{
    private final CalciteSchema rootSchema;
    private final QueryPlanner planner;
    private final Catalog catalog;
    private final ObjectStore objectStore;
    private final NodeManager nodeManager;
    private final WorkerClients workerClients;
    private final BufferAllocator allocator;
    private final String catalogName;
    private final long maxSplitSize;
    private final DdlExecutor ddl;

    public SqlStatementRunner(CalciteSchema rootSchema, Catalog catalog, ObjectStore objectStore, NodeManager nodeManager,
            WorkerClients workerClients, BufferAllocator allocator, String catalogName, long maxSplitSize)
    {
        this.rootSchema = requireNonNull(rootSchema, "rootSchema is null");
        this.planner = new QueryPlanner(rootSchema);
        this.catalog = requireNonNull(catalog, "catalog is null");
        this.objectStore = requireNonNull(objectStore, "objectStore is null");
        this.nodeManager = requireNonNull(nodeManager, "nodeManager is null");
        this.workerClients = requireNonNull(workerClients, "workerClients is null");
        this.allocator = requireNonNull(allocator, "allocator is null");
        this.catalogName = requireNonNull(catalogName, "catalogName is null");
        this.maxSplitSize = maxSplitSize;
        this.ddl = new DdlExecutor(catalog, objectStore, catalogName, planner);
    }

    @Override
    public StatementResult run(Query query)
    {
        String sql = stripTrailingSemicolon(query.sql());
        SqlNode parsed = QueryPlanner.parse(sql);
        if (parsed instanceof SqlGlauxStatement statement) {
            return ddl.execute(statement.statement(), sql, query.session(), rewritten -> execute(query, QueryPlanner.parse(rewritten)));
        }
        if (!parsed.isA(SqlKind.QUERY)) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, new ErrorLocation(Math.max(1, parsed.getParserPosition().getLineNum()),
                    Math.max(1, parsed.getParserPosition().getColumnNum())), parsed.getKind().sql + " statements are not supported", null);
        }
        return execute(query, parsed);
    }

    private StatementResult execute(Query query, SqlNode parsed)
    {
        QueryPlanner.Plan plan = planner.plan(parsed, query.session().catalog(), query.session().schema());
        query.setPlan(plan.explain());
        List<ResultColumn> columns = new ArrayList<>();
        List<RelDataType> types = plan.rowType().getFieldList().stream().map(field -> field.getType()).toList();
        for (int i = 0; i < types.size(); i++) {
            columns.add(new ResultColumn(plan.columnNames().get(i), types.get(i)));
        }
        QueryExecution execution = new QueryExecution(query, catalog, objectStore, nodeManager, workerClients,
                allocator.newChildAllocator("query-" + query.id(), 0, Long.MAX_VALUE), maxSplitSize);
        GlauxDataContext context = new GlauxDataContext(rootSchema.plus(), planner.typeFactory(), plan.parameters(), execution, query);
        Enumerable<?> enumerable = plan.bindable().bind(context);
        Enumerator<?> enumerator = enumerable.enumerator();
        Iterator<Object> rows = new Iterator<>()
        {
            private boolean ready;
            private boolean done;

            @Override
            public boolean hasNext()
            {
                if (!ready && !done) {
                    if (enumerator.moveNext()) {
                        ready = true;
                    }
                    else {
                        done = true;
                    }
                }
                return ready;
            }

            @Override
            public Object next()
            {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                ready = false;
                return enumerator.current();
            }
        };
        AutoCloseable resources = () -> {
            try {
                enumerator.close();
            }
            finally {
                execution.close();
            }
        };
        return new StatementResult(columns, rows, resources, Optional.empty(), Optional.empty(), Optional.empty());
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
