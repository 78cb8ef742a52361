package io.glaux.coordinator.statement;

import static java.util.Objects.requireNonNull;

import io.glaux.coordinator.execution.QueryExecution;
import io.glaux.coordinator.execution.ScanRuntime;
import io.glaux.coordinator.query.Query;
import org.apache.calcite.DataContext;
import org.apache.calcite.adapter.java.JavaTypeFactory;
import org.apache.calcite.linq4j.QueryProvider;
import org.apache.calcite.schema.SchemaPlus;

import java.util.Map;
import java.util.TimeZone;
import java.util.concurrent.atomic.AtomicBoolean;

/** What Calcite's generated code reads at run time: stashed plan objects, the clock, the scans. */
final class GlauxDataContext
        implements DataContext
{
    private final SchemaPlus rootSchema;
    private final JavaTypeFactory typeFactory;
    private final Map<String, Object> parameters;
    private final QueryExecution execution;
    private final Query query;
    private final long now = System.currentTimeMillis();
    private final AtomicBoolean cancelFlag = new AtomicBoolean();

    GlauxDataContext(SchemaPlus rootSchema, JavaTypeFactory typeFactory, Map<String, Object> parameters, QueryExecution execution, Query query)
    {
        this.rootSchema = requireNonNull(rootSchema, "rootSchema is null");
        this.typeFactory = requireNonNull(typeFactory, "typeFactory is null");
        this.parameters = requireNonNull(parameters, "parameters is null");
        this.execution = requireNonNull(execution, "execution is null");
        this.query = requireNonNull(query, "query is null");
    }

    @Override
    public SchemaPlus getRootSchema()
    {
        return rootSchema;
    }

    @Override
    public JavaTypeFactory getTypeFactory()
    {
        return typeFactory;
    }

    @Override
    public QueryProvider getQueryProvider()
    {
        return null;
    }

    @Override
    public Object get(String name)
    {
        if (name.equals(ScanRuntime.EXECUTION)) {
            return execution;
        }
        // Calcite's current and local timestamps are the wall-clock time in the session's time zone
        // (the time_zone session property, else the client's X-Trino-Time-Zone)
        if (name.equals(Variable.CURRENT_TIMESTAMP.camelName) || name.equals(Variable.LOCAL_TIMESTAMP.camelName)) {
            return now + TimeZone.getTimeZone(query.session().effectiveTimeZone()).getOffset(now);
        }
        if (name.equals(Variable.UTC_TIMESTAMP.camelName)) {
            return now;
        }
        if (name.equals(Variable.TIME_ZONE.camelName)) {
            return TimeZone.getTimeZone(query.session().effectiveTimeZone());
        }
        if (name.equals(Variable.CANCEL_FLAG.camelName)) {
            cancelFlag.set(query.isCanceled());
            return cancelFlag;
        }
        if (name.equals(Variable.USER.camelName) || name.equals(Variable.SYSTEM_USER.camelName)) {
            return query.session().user();
        }
        if (name.equals(Variable.LOCALE.camelName)) {
            return java.util.Locale.ROOT;
        }
        return parameters.get(name);
    }
}
