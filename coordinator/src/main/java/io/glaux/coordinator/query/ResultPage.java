package io.glaux.coordinator.query;

import static java.util.Objects.requireNonNull;

import java.util.List;

/**
 * One page of a query's result for the protocol's {@code data} field: rows of encoded values
 * ({@link RowEncoder}), or (the engine's results) the JSON array of the rows written straight from
 * the Arrow vectors.
 */
public sealed interface ResultPage
{
    int rowCount();

    /** Encoded values, serialized with the rest of the response. */
    record Values(List<List<Object>> rows)
            implements ResultPage
    {
        public Values
        {
            requireNonNull(rows, "rows is null");
        }

        @Override
        public int rowCount()
        {
            return rows.size();
        }
    }

    /** {@code json}: the rows as a JSON array ({@code [[v, ...], ...]}), written into the response as it is. */
    record Json(String json, int rowCount)
            implements ResultPage
    {
        public Json
        {
            requireNonNull(json, "json is null");
        }
    }
}
