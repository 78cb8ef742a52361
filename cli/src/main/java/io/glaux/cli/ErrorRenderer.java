package io.glaux.cli;

import io.glaux.cli.protocol.ErrorLocation;
import io.glaux.cli.protocol.QueryError;

import java.util.ArrayList;
import java.util.List;

/**
 * Renders a failed statement for the user:
 * <pre>
 * Query 20250101_120000_00003_abcde failed: line 2:8: Column 'x' cannot be resolved
 * LINE 2:8: WHERE x &gt; 1
 *                 ^
 * </pre>
 * The caret line repeats tabs of the statement line so it stays under the column; very long lines
 * are cut to a window around the column.
 */
public final class ErrorRenderer
{
    private static final int MAX_LINE = 120;
    private static final int CONTEXT = 50;

    private ErrorRenderer() {}

    /** The lines to print for {@code error} of query {@code queryId}, run as {@code sql}. */
    public static List<String> render(String queryId, QueryError error, String sql, boolean debug)
    {
        List<String> lines = new ArrayList<>();
        String message = error.message() == null ? "(no message)" : error.message();
        lines.add("Query " + queryId + " failed: " + message);
        ErrorLocation location = error.errorLocation();
        if (location != null) {
            lines.addAll(pointAt(sql, location.lineNumber(), location.columnNumber()));
        }
        if (debug) {
            lines.add("Error: " + error.errorName() + " (" + error.errorCode() + ", " + error.errorType() + ")");
            if (error.failureInfo() != null && !error.failureInfo().isNull()) {
                lines.add("Failure info: " + error.failureInfo().toPrettyString());
            }
        }
        return lines;
    }

    /** {@code LINE l:c: <line of sql>} and a caret under column {@code column} (both 1-based). */
    static List<String> pointAt(String sql, int line, int column)
    {
        String[] sqlLines = sql.split("\r\n|\r|\n", -1);
        if (line < 1 || line > sqlLines.length || column < 1) {
            return List.of();
        }
        String text = sqlLines[line - 1];
        int index = Math.min(column - 1, text.length());
        String prefix = "LINE " + line + ":" + column + ": ";
        if (text.length() > MAX_LINE) {
            int from = Math.max(0, index - CONTEXT);
            int to = Math.min(text.length(), index + CONTEXT);
            String head = from > 0 ? "..." : "";
            String tail = to < text.length() ? "..." : "";
            text = head + text.substring(from, to) + tail;
            index = index - from + head.length();
        }
        StringBuilder caret = new StringBuilder(" ".repeat(prefix.length()));
        for (int i = 0; i < index; i++) {
            caret.append(text.charAt(i) == '\t' ? '\t' : ' ');
        }
        caret.append('^');
        return List.of(prefix + text, caret.toString());
    }
}
