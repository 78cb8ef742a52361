package io.glaux.coordinator.query;

/** Plans a statement and starts running it. Throws {@link io.glaux.spi.error.GlauxException} on failure. */
@FunctionalInterface
public interface StatementRunner
{
    StatementResult run(Query query);
}
