package io.glaux.cli.protocol;

import java.net.URI;
import java.util.List;

/**
 * One page of a statement's results, as returned by {@code POST /v1/statement} and by each
 * {@code GET nextUri} of the Trino client protocol v1. Every field except {@code id} may be absent.
 * The query is over when {@code nextUri} is absent; it failed when {@code error} is present.
 */
public record QueryResults(
        String id,
        URI infoUri,
        URI partialCancelUri,
        URI nextUri,
        List<Column> columns,
        List<List<Object>> data,
        StatementStats stats,
        QueryError error,
        List<Warning> warnings,
        String updateType,
        Long updateCount)
{
}
