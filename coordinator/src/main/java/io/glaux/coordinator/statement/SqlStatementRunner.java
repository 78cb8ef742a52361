package io.glaux.coordinator.statement;

import static java.util.Objects.requireNonNull;

import io.glaux.catalog.Catalog;
import io.glaux.connectors.s3.ObjectStore;
import io.glaux.coordinator.execution.QueryExecution;
import io.glaux.coordinator.execution.WorkerClients;
import io.glaux.coordinator.node.NodeManager;
import io.glaux.coordinator.planner.QueryPlanner;
import io.glaux.coordinator.query.Query;
import io.glaux.coordinator.query.ResultColumn;
import io.glaux.coordinator.query.StatementResult;
import io.glaux.coordinator.query.StatementRunner;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.calcite.jdbc.CalciteSchema;
import org.apache.calcite.linq4j.Enumerable;
import org.apache.calcite.linq4j.Enumerator;
import org.apache.calcite.rel.type.RelDataType;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;

/** Runs a statement: metadata statements are rewritten, queries are planned with Calcite and executed. */
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
    }

    @Override
    public StatementResult run(Query query)
    {
        String sql = stripTrailingSemicolon(query.sql());
        Optional<MetadataStatement.Parsed> metadata = MetadataStatement.parse(sql, query.session());
        if (metadata.isPresent()) {
            switch (metadata.get()) {
                case MetadataStatement.Use use -> {
                    String catalogChoice = use.catalog().orElse(query.session().catalog());
                    checkSchemaExists(catalogChoice, use.schema());
                    return new StatementResult(List.of(), List.of().iterator(), () -> { },
                            use.catalog(), Optional.of(use.schema()), Optional.of("USE"));
                }
                case MetadataStatement.Rewritten rewritten -> {
                    rewritten.table().ifPresent(this::checkTableExists);
                    sql = rewritten.sql();
                }
            }
        }
        return execute(query, sql);
    }

    private StatementResult execute(Query query, String sql)
    {
        QueryPlanner.Plan plan = planner.plan(sql, query.session().catalog(), query.session().schema());
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

    private void checkSchemaExists(String catalogChoice, String schema)
    {
        if (!catalogChoice.equals(catalogName) && !catalogChoice.equals("system")) {
            throw new GlauxException(ErrorCode.CATALOG_NOT_FOUND, "Catalog '" + catalogChoice + "' does not exist");
        }
        if (catalogChoice.equals(catalogName) && catalog.getSchema(schema).isEmpty()) {
            throw new GlauxException(ErrorCode.SCHEMA_NOT_FOUND, "Schema '" + catalogChoice + "." + schema + "' does not exist");
        }
    }

    private void checkTableExists(List<String> name)
    {
        String qualified = String.join(".", name);
        if (!name.get(0).equals(catalogName)) {
            if (name.get(0).equals("system")) {
                return;
            }
            throw new GlauxException(ErrorCode.CATALOG_NOT_FOUND, "Catalog '" + name.get(0) + "' does not exist");
        }
        if (catalog.getSchema(name.get(1)).isEmpty()) {
            throw new GlauxException(ErrorCode.SCHEMA_NOT_FOUND, "Schema '" + name.get(0) + "." + name.get(1) + "' does not exist");
        }
        if (catalog.getTable(name.get(1), name.get(2)).isEmpty()) {
            throw new GlauxException(ErrorCode.TABLE_NOT_FOUND, "Table '" + qualified + "' does not exist");
        }
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
