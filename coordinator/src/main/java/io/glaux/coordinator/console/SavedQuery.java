package io.glaux.coordinator.console;

import static java.util.Objects.requireNonNull;

/** A named query that a user saved from the console, with a description. Times in epoch milliseconds. */
public record SavedQuery(long id, String owner, String name, String description, String sql, long createdMillis, long updatedMillis)
{
    public SavedQuery
    {
        requireNonNull(owner, "owner is null");
        requireNonNull(name, "name is null");
        requireNonNull(description, "description is null");
        requireNonNull(sql, "sql is null");
    }
}
