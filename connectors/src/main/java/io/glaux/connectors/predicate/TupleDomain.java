package io.glaux.connectors.predicate;

import java.util.Map;

/**
 * A conjunction of per-column {@link Domain}s, keyed by column name (lower case). A column that is
 * absent is unconstrained; {@link #all()} constrains nothing. {@code isNone} means no row can pass.
 */
public record TupleDomain(Map<String, Domain> domains, boolean isNone)
{
    public TupleDomain
    {
        domains = Map.copyOf(domains);
    }

    public static TupleDomain all()
    {
        return new TupleDomain(Map.of(), false);
    }

    public static TupleDomain nothing()
    {
        return new TupleDomain(Map.of(), true);
    }
}
