package io.glaux.coordinator.sql.ast;

import java.util.Optional;

/** Helpers the generated parser calls: decoding quoted names and Hive string literals. */
public final class ParserSupport
{
    private ParserSupport() {}

    /** {@code `a``b`} → {@code a`b}. Hive names are case-insensitive: folded to lower case. */
    public static String backQuoted(String image)
    {
        return image.substring(1, image.length() - 1).replace("``", "`").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * The value of a {@code 'quoted'} or {@code "quoted"} string in a Hive statement: the doubled quote
     * stands for one, and backslash escapes are decoded as Hive decodes them ({@code \t}, {@code \n},
     * {@code \r}, {@code \b}, {@code \0}, {@code \Z}, {@code \\}, {@code \'}, {@code \"}, octal
     * {@code \001}, {@code \}{@code u0001}); a backslash before any other character is dropped.
     */
    public static String hiveString(String image)
    {
        char quote = image.charAt(0);
        String body = image.substring(1, image.length() - 1).replace(String.valueOf(quote) + quote, String.valueOf(quote));
        StringBuilder out = new StringBuilder(body.length());
        for (int i = 0; i < body.length(); i++) {
            char c = body.charAt(i);
            if (c != '\\' || i + 1 >= body.length()) {
                out.append(c);
                continue;
            }
            char next = body.charAt(i + 1);
            if (next == 'u' && i + 5 < body.length() && isHex(body, i + 2, 4)) {
                out.append((char) Integer.parseInt(body.substring(i + 2, i + 6), 16));
                i += 5;
                continue;
            }
            if (next >= '0' && next <= '3' && i + 3 < body.length() && isOctal(body, i + 1, 3)) {
                out.append((char) Integer.parseInt(body.substring(i + 1, i + 4), 8));
                i += 3;
                continue;
            }
            i++;
            out.append(switch (next) {
                case '0' -> '\0';
                case 'b' -> '\b';
                case 'n' -> '\n';
                case 'r' -> '\r';
                case 't' -> '\t';
                case 'Z' -> (char) 26;
                default -> next;
            });
        }
        return out.toString();
    }

    /**
     * Writes a value as a {@code 'quoted'} Hive string that {@link #hiveString} reads back: quotes and
     * backslashes escaped, control characters as {@code \t}, {@code \n}, {@code \r} or octal.
     */
    public static String quoteHiveString(String value)
    {
        StringBuilder out = new StringBuilder(value.length() + 2).append('\'');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\'' -> out.append("''");
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                default -> {
                    if (c < 0x20 || c == 0x7f) {
                        out.append('\\').append(String.format("%03o", (int) c));
                    }
                    else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('\'').toString();
    }

    /** True for identifier-like token images (type names, numbers), which need a space between them. */
    public static boolean isWord(String image)
    {
        return !image.isEmpty() && (Character.isLetterOrDigit(image.charAt(0)) || image.charAt(0) == '_' || image.charAt(0) == '`');
    }

    public static Optional<String> value(Statement.Located<String> located)
    {
        return located == null ? Optional.empty() : Optional.of(located.value());
    }

    private static boolean isHex(String text, int start, int length)
    {
        for (int i = start; i < start + length; i++) {
            if (Character.digit(text.charAt(i), 16) < 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isOctal(String text, int start, int length)
    {
        for (int i = start; i < start + length; i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '7') {
                return false;
            }
        }
        return true;
    }
}
