package io.glaux.spi.error;

import static io.glaux.spi.error.ErrorCategory.EXTERNAL;
import static io.glaux.spi.error.ErrorCategory.INSUFFICIENT_RESOURCES;
import static io.glaux.spi.error.ErrorCategory.INTERNAL_ERROR;
import static io.glaux.spi.error.ErrorCategory.USER_ERROR;

/**
 * Every user-visible failure has one of these codes. The name and number are stable: clients and
 * scripts may match on them. A code that has a name in Trino's {@code StandardErrorCode} carries
 * Trino's number too, so JDBC {@code getErrorCode()} means the same as on Trino (FUNCTION_NOT_FOUND
 * is 6, TABLE_NOT_FOUND 46). Codes only Glaux has take numbers Trino's table does not use: user
 * errors from 0x0000_0100, internal errors from 0x0001_0100, and external (object store, metastore)
 * errors from 0x0100_0000, the range Trino leaves to connectors.
 */
public enum ErrorCode
{
    // --- USER_ERROR
    GENERIC_USER_ERROR(0, USER_ERROR),
    SYNTAX_ERROR(1, USER_ERROR),
    USER_CANCELED(3, USER_ERROR),
    /**
     * The access-control rules ({@code access-control.rules-file}) do not allow this user the statement;
     * the message names the object ("Access Denied: Cannot select from table hive.web.clicks").
     */
    ACCESS_DENIED(4, USER_ERROR),
    NOT_SUPPORTED(13, USER_ERROR),
    INVALID_FUNCTION_ARGUMENT(7, USER_ERROR),
    DIVISION_BY_ZERO(8, USER_ERROR),
    INVALID_CAST_ARGUMENT(9, USER_ERROR),
    /** A value does not fit its type: integer overflow in arithmetic or in sum(), a decimal beyond 38 digits. */
    NUMERIC_VALUE_OUT_OF_RANGE(19, USER_ERROR),
    /** A scalar subquery returned more than one row. */
    SUBQUERY_MULTIPLE_ROWS(28, USER_ERROR),
    TYPE_MISMATCH(58, USER_ERROR),
    /** A relation's column aliases do not match its column count ({@code t(x, y)} over one column). */
    MISMATCHED_COLUMN_ALIASES(61, USER_ERROR),
    MISSING_TABLE(86, USER_ERROR),
    MISSING_COLUMN_NAME(55, USER_ERROR),
    COLUMN_NOT_FOUND(47, USER_ERROR),
    MISSING_SCHEMA_NAME(57, USER_ERROR),
    SCHEMA_NOT_FOUND(45, USER_ERROR),
    CATALOG_NOT_FOUND(44, USER_ERROR),
    FUNCTION_NOT_FOUND(6, USER_ERROR),
    TABLE_NOT_FOUND(46, USER_ERROR),
    AMBIGUOUS_NAME(62, USER_ERROR),
    INVALID_TABLE_PROPERTY(18, USER_ERROR),
    /** Something created already exists (generic form; the specific codes below are used where they fit). */
    ALREADY_EXISTS(12, USER_ERROR),
    /** A data file does not match the table's declared format or schema. */
    BAD_DATA(0x0000_0100, USER_ERROR),
    /** A data file is damaged: truncated, wrong magic number, undecodable page. */
    CORRUPT_FILE(0x0000_0101, USER_ERROR),
    /** CREATE TABLE of a table that exists. */
    TABLE_ALREADY_EXISTS(50, USER_ERROR),
    /** CREATE DATABASE|SCHEMA of a schema that exists. */
    SCHEMA_ALREADY_EXISTS(49, USER_ERROR),
    /** A type name in DDL is unknown or malformed. */
    TYPE_NOT_FOUND(43, USER_ERROR),
    /** A partition value does not fit its partition column's type, or a partition spec names the wrong columns. */
    INVALID_PARTITION_VALUE(0x0000_0105, USER_ERROR),
    /** A column name appears twice in a table definition. */
    DUPLICATE_COLUMN_NAME(54, USER_ERROR),
    /** A LOCATION is not an object-store location Glaux reads ({@code s3://}, {@code s3a://}, {@code s3n://}). */
    INVALID_LOCATION(0x0000_0107, USER_ERROR),
    /** DROP DATABASE|SCHEMA without CASCADE of a schema that has tables. */
    SCHEMA_NOT_EMPTY(34, USER_ERROR),
    /** A SerDe class, STORED AS format or ROW FORMAT Glaux does not know. */
    INVALID_STORAGE_FORMAT(0x0000_0109, USER_ERROR),
    /** The client stopped asking for a query's results for longer than {@code query.client.timeout}. */
    ABANDONED_QUERY(2, USER_ERROR),
    /** The SQL text or request body is larger than {@code query.max-length} / the body limit. */
    QUERY_TEXT_TOO_LARGE(35, USER_ERROR),
    /** Something named does not exist and has no more specific code (a prepared statement). */
    NOT_FOUND(5, USER_ERROR),
    /** A session property that does not exist, or a value it does not take. */
    INVALID_SESSION_PROPERTY(14, USER_ERROR),
    /** Parameters of a prepared statement: wrong count, or a parameter where none may be. */
    INVALID_PARAMETER_USAGE(80, USER_ERROR),
    /**
     * A worker's join token ({@code tls.join-token}) is malformed, unknown, forged, expired, used up, or
     * minted for another node; the message says which, never the token's secret.
     */
    INVALID_JOIN_TOKEN(0x0000_0122, USER_ERROR),
    /** A request header (X-Trino-*) holds control characters or is longer than the coordinator accepts; the message names the header. */
    INVALID_REQUEST_HEADER(0x0000_0123, USER_ERROR),
    /**
     * Decompressing part of an object would exceed {@code scan.max-decompressed-size} or
     * {@code scan.max-decompression-ratio} (a decompression bomb); the message names the object, the offset and the limit.
     */
    EXCEEDED_DECOMPRESSION_LIMIT(0x0000_0124, USER_ERROR),
    /** A function's result would be larger than it may produce (listagg past 1 MiB without ON OVERFLOW TRUNCATE); Trino's code. */
    EXCEEDED_FUNCTION_MEMORY_LIMIT(0x0000_0025, USER_ERROR),

    // --- INTERNAL_ERROR
    GENERIC_INTERNAL_ERROR(0x0001_0000, INTERNAL_ERROR),
    /** A worker process died or stopped answering while running part of a query. */
    WORKER_FAILED(0x0001_0100, INTERNAL_ERROR),
    NO_NODES_AVAILABLE(0x0001_0005, INTERNAL_ERROR),
    SERVER_STARTING_UP(65548, INTERNAL_ERROR),

    // --- INSUFFICIENT_RESOURCES
    GENERIC_INSUFFICIENT_RESOURCES(0x0002_0000, INSUFFICIENT_RESOURCES),
    EXCEEDED_MEMORY_LIMIT(0x0002_0001, INSUFFICIENT_RESOURCES),
    /** A user's (or group's) queue of waiting queries is full ({@code query.max-queued-per-user}). */
    QUERY_QUEUE_FULL(0x0002_0002, INSUFFICIENT_RESOURCES),
    EXCEEDED_TIME_LIMIT(0x0002_0003, INSUFFICIENT_RESOURCES),
    /**
     * A query's spill files would exceed {@code query.max-spill-per-node} on a node, or every query's together
     * {@code spill.max-size}; the message names the limit and the operator that spilled.
     */
    EXCEEDED_SPILL_LIMIT(0x0002_0006, INSUFFICIENT_RESOURCES),
    /** A query read more bytes from the object store than {@code query.max-scan-physical-bytes}. */
    EXCEEDED_SCAN_LIMIT(0x0002_0009, INSUFFICIENT_RESOURCES),

    // --- EXTERNAL
    /** The object store failed or refused a request (other than bad credentials or a missing object). */
    OBJECT_STORE_ERROR(0x0100_0001, EXTERNAL),
    /** The object store rejected the credentials or the SSE-C key. */
    OBJECT_STORE_ACCESS_DENIED(0x0100_0002, EXTERNAL),
    /** An object the query needs does not exist (it was deleted after listing, or the location is wrong). */
    OBJECT_NOT_FOUND(0x0100_0003, EXTERNAL),
    /** The metastore failed or could not be reached. */
    METASTORE_ERROR(0x0100_0004, EXTERNAL),
    /** A connection between nodes (coordinator, workers) failed. */
    REMOTE_TASK_ERROR(0x0001_0006, EXTERNAL),
    /**
     * An SSE-C (customer key) object cannot be read: no key is configured for it, the node lacks the key
     * a table names, or the object store rejected the key sent. The message names the object and the key
     * id, never the key.
     */
    ENCRYPTION_KEY_ERROR(0x0100_0010, EXTERNAL);

    private final int code;
    private final ErrorCategory category;

    ErrorCode(int code, ErrorCategory category)
    {
        this.code = code;
        this.category = category;
    }

    public int code()
    {
        return code;
    }

    public ErrorCategory category()
    {
        return category;
    }
}
