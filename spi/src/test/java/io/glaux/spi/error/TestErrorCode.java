package io.glaux.spi.error;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Map;
import java.util.Set;

class TestErrorCode
{
    /** Trino's StandardErrorCode numbers of the names Glaux shares with it (core/trino-spi). */
    private static final Map<String, Integer> TRINO = Map.ofEntries(
            Map.entry("GENERIC_USER_ERROR", 0),
            Map.entry("SYNTAX_ERROR", 1),
            Map.entry("ABANDONED_QUERY", 2),
            Map.entry("USER_CANCELED", 3),
            Map.entry("NOT_FOUND", 5),
            Map.entry("FUNCTION_NOT_FOUND", 6),
            Map.entry("INVALID_FUNCTION_ARGUMENT", 7),
            Map.entry("DIVISION_BY_ZERO", 8),
            Map.entry("INVALID_CAST_ARGUMENT", 9),
            Map.entry("ALREADY_EXISTS", 12),
            Map.entry("NOT_SUPPORTED", 13),
            Map.entry("INVALID_SESSION_PROPERTY", 14),
            Map.entry("INVALID_TABLE_PROPERTY", 18),
            Map.entry("NUMERIC_VALUE_OUT_OF_RANGE", 19),
            Map.entry("SUBQUERY_MULTIPLE_ROWS", 28),
            Map.entry("SCHEMA_NOT_EMPTY", 34),
            Map.entry("QUERY_TEXT_TOO_LARGE", 35),
            Map.entry("EXCEEDED_FUNCTION_MEMORY_LIMIT", 37),
            Map.entry("TYPE_NOT_FOUND", 43),
            Map.entry("CATALOG_NOT_FOUND", 44),
            Map.entry("SCHEMA_NOT_FOUND", 45),
            Map.entry("TABLE_NOT_FOUND", 46),
            Map.entry("COLUMN_NOT_FOUND", 47),
            Map.entry("SCHEMA_ALREADY_EXISTS", 49),
            Map.entry("TABLE_ALREADY_EXISTS", 50),
            Map.entry("DUPLICATE_COLUMN_NAME", 54),
            Map.entry("MISSING_COLUMN_NAME", 55),
            Map.entry("MISSING_SCHEMA_NAME", 57),
            Map.entry("TYPE_MISMATCH", 58),
            Map.entry("MISMATCHED_COLUMN_ALIASES", 61),
            Map.entry("AMBIGUOUS_NAME", 62),
            Map.entry("INVALID_PARAMETER_USAGE", 80),
            Map.entry("MISSING_TABLE", 86),
            Map.entry("GENERIC_INTERNAL_ERROR", 65536),
            Map.entry("NO_NODES_AVAILABLE", 65541),
            Map.entry("REMOTE_TASK_ERROR", 65542),
            Map.entry("SERVER_STARTING_UP", 65548),
            Map.entry("GENERIC_INSUFFICIENT_RESOURCES", 131072),
            Map.entry("QUERY_QUEUE_FULL", 131074),
            Map.entry("EXCEEDED_TIME_LIMIT", 131075),
            Map.entry("EXCEEDED_SPILL_LIMIT", 131078),
            Map.entry("EXCEEDED_SCAN_LIMIT", 131081));

    /** Glaux names whose meaning is one of Trino's under another name. */
    private static final Map<String, Integer> TRINO_EQUIVALENT = Map.of(
            "ACCESS_DENIED", 4, // PERMISSION_DENIED
            "EXCEEDED_MEMORY_LIMIT", 131073); // EXCEEDED_GLOBAL_MEMORY_LIMIT

    @Test
    void sharedNamesCarryTrinoNumbers()
    {
        for (ErrorCode code : ErrorCode.values()) {
            Integer trino = TRINO.getOrDefault(code.name(), TRINO_EQUIVALENT.get(code.name()));
            if (trino != null) {
                assertThat(code.code()).as(code.name()).isEqualTo(trino);
            }
        }
        assertThat(ErrorCode.FUNCTION_NOT_FOUND.code()).isEqualTo(6);
    }

    @Test
    void glauxOnlyCodesStayOutOfTrinosRanges()
    {
        Set<Integer> seen = new HashSet<>();
        for (ErrorCode code : ErrorCode.values()) {
            assertThat(seen.add(code.code())).as("number of %s is unique", code).isTrue();
            if (!TRINO.containsKey(code.name()) && !TRINO_EQUIVALENT.containsKey(code.name())) {
                int offset = code.code() & 0xFFFF;
                int range = code.code() >>> 16;
                assertThat(range == 0x0100 || offset >= 0x0100)
                        .as("%s (%s) is outside Trino's standard numbers", code, Integer.toHexString(code.code()))
                        .isTrue();
            }
        }
    }
}
