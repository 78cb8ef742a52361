package io.glaux.spi.error;

/**
 * Who is at fault for a failure. Names match the {@code errorType} values of the Trino client protocol,
 * so clients (JDBC, CLI) classify Glaux errors the way they classify Trino's.
 */
public enum ErrorCategory
{
    /** The query or its input is wrong: fix the SQL, the table definition or the data. */
    USER_ERROR,
    /** Something outside Glaux failed: the object store, the metastore, a network peer. */
    EXTERNAL,
    /** A limit was reached: memory, time, concurrency. */
    INSUFFICIENT_RESOURCES,
    /** A bug in Glaux. */
    INTERNAL_ERROR
}
