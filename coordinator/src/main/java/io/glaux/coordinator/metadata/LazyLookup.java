package io.glaux.coordinator.metadata;

import static java.util.Objects.requireNonNull;

import org.apache.calcite.schema.lookup.LikePattern;
import org.apache.calcite.schema.lookup.Lookup;
import org.apache.calcite.schema.lookup.Named;

import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A Calcite name lookup that loads one entry at a time (a metastore table is fetched only when a
 * query names it). Catalog names are lower case, so a case-insensitive lookup is a lower-case one.
 */
final class LazyLookup<T>
        implements Lookup<T>
{
    private final Function<String, T> loader;
    private final Supplier<Set<String>> names;

    LazyLookup(Function<String, T> loader, Supplier<Set<String>> names)
    {
        this.loader = requireNonNull(loader, "loader is null");
        this.names = requireNonNull(names, "names is null");
    }

    @Override
    public T get(String name)
    {
        return loader.apply(name);
    }

    @Override
    public Named<T> getIgnoreCase(String name)
    {
        String lower = name.toLowerCase(Locale.ROOT);
        T value = loader.apply(lower);
        return value == null ? null : new Named<>(lower, value);
    }

    @Override
    public Set<String> getNames(LikePattern pattern)
    {
        Set<String> result = new TreeSet<>();
        var matcher = pattern.matcher();
        for (String name : names.get()) {
            if (matcher.apply(name)) {
                result.add(name);
            }
        }
        return result;
    }
}
