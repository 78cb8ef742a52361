package io.glaux.coordinator.planner;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;

import java.util.Locale;

/**
 * Trino's {@code listagg(x, separator ON OVERFLOW ERROR)}, which Calcite's parser does not read: the
 * clause is blanked out before parsing (same length, so positions in errors stay those of the text as
 * written), since failing past the largest result is what listagg does anyway. {@code ON OVERFLOW
 * TRUNCATE} is refused with NOT_SUPPORTED at its position.
 */
final class ListaggOverflow
{
    private ListaggOverflow() {}

    static String rewrite(String sql)
    {
        String lower = sql.toLowerCase(Locale.ROOT);
        if (!lower.contains("overflow")) {
            return sql;
        }
        StringBuilder out = null;
        int n = sql.length();
        int i = 0;
        // parentheses open, and the depth of the arguments of the listagg call being read (-1: none)
        int depth = 0;
        int listagg = -1;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '(') {
                depth++;
                i++;
                continue;
            }
            if (c == ')') {
                if (depth == listagg) {
                    listagg = -1;
                }
                depth--;
                i++;
                continue;
            }
            if (isWordAt(lower, i, "listagg")) {
                int paren = skipSpace(lower, i + "listagg".length());
                if (paren < n && sql.charAt(paren) == '(' && listagg < 0) {
                    listagg = depth + 1;
                }
                i += "listagg".length();
                continue;
            }
            if (c == '\'' || c == '"' || c == '`') {
                int end = i + 1;
                while (end < n) {
                    if (sql.charAt(end) == c) {
                        if (end + 1 < n && sql.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        end++;
                        break;
                    }
                    end++;
                }
                i = end;
                continue;
            }
            if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end;
                continue;
            }
            if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
                continue;
            }
            if (depth == listagg && isWordAt(lower, i, "on")) {
                int overflow = skipSpace(lower, i + 2);
                if (isWordAt(lower, overflow, "overflow")) {
                    int behavior = skipSpace(lower, overflow + "overflow".length());
                    if (isWordAt(lower, behavior, "error")) {
                        if (out == null) {
                            out = new StringBuilder(sql);
                        }
                        for (int k = i; k < behavior + "error".length(); k++) {
                            if (!Character.isWhitespace(out.charAt(k))) {
                                out.setCharAt(k, ' ');
                            }
                        }
                        i = behavior + "error".length();
                        continue;
                    }
                    if (isWordAt(lower, behavior, "truncate")) {
                        throw new GlauxException(ErrorCode.NOT_SUPPORTED, location(sql, i),
                                "listagg(... ON OVERFLOW TRUNCATE) is not supported: a result over 1048576 bytes fails (ON OVERFLOW ERROR)", null);
                    }
                }
            }
            i++;
        }
        return out == null ? sql : out.toString();
    }

    private static boolean isWordAt(String lower, int at, String word)
    {
        if (at < 0 || !lower.startsWith(word, at)) {
            return false;
        }
        boolean startsWord = at == 0 || !Character.isJavaIdentifierPart(lower.charAt(at - 1));
        int end = at + word.length();
        return startsWord && (end >= lower.length() || !Character.isJavaIdentifierPart(lower.charAt(end)));
    }

    private static int skipSpace(String text, int at)
    {
        while (at < text.length() && Character.isWhitespace(text.charAt(at))) {
            at++;
        }
        return at;
    }

    private static ErrorLocation location(String sql, int offset)
    {
        int line = 1;
        int column = 1;
        for (int k = 0; k < offset; k++) {
            if (sql.charAt(k) == '\n') {
                line++;
                column = 1;
            }
            else {
                column++;
            }
        }
        return new ErrorLocation(line, column);
    }
}
