package io.glaux.coordinator.query;

import java.util.Map;
import java.util.Set;

/**
 * What a statement changes in the client's session, sent back in the Trino protocol's response headers:
 * properties set ({@code X-Trino-Set-Session}) and reset ({@code X-Trino-Clear-Session}), prepared
 * statements added ({@code X-Trino-Added-Prepare}) and deallocated ({@code X-Trino-Deallocated-Prepare}).
 */
public record SessionChanges(Map<String, String> setProperties, Set<String> resetProperties,
        Map<String, String> addedPreparedStatements, Set<String> deallocatedPreparedStatements)
{
    public static final SessionChanges NONE = new SessionChanges(Map.of(), Set.of(), Map.of(), Set.of());

    public SessionChanges
    {
        setProperties = Map.copyOf(setProperties);
        resetProperties = Set.copyOf(resetProperties);
        addedPreparedStatements = Map.copyOf(addedPreparedStatements);
        deallocatedPreparedStatements = Set.copyOf(deallocatedPreparedStatements);
    }

    public static SessionChanges setProperty(String name, String value)
    {
        return new SessionChanges(Map.of(name, value), Set.of(), Map.of(), Set.of());
    }

    public static SessionChanges resetProperty(String name)
    {
        return new SessionChanges(Map.of(), Set.of(name), Map.of(), Set.of());
    }

    public static SessionChanges addPrepared(String name, String sql)
    {
        return new SessionChanges(Map.of(), Set.of(), Map.of(name, sql), Set.of());
    }

    public static SessionChanges deallocatePrepared(String name)
    {
        return new SessionChanges(Map.of(), Set.of(), Map.of(), Set.of(name));
    }
}
