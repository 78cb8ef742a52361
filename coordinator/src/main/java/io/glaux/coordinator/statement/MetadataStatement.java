package io.glaux.coordinator.statement;

import io.glaux.coordinator.query.Session;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * {@code SHOW CATALOGS|SCHEMAS|TABLES|COLUMNS}, {@code DESCRIBE} and {@code USE}: recognized by a small
 * tokenizer and answered as queries over {@code system.jdbc}, so clients see the same rows as the JDBC
 * metadata calls. (Athena DDL proper gets a Calcite parser extension; these read-only statements
 * only need names.)
 */
public final class MetadataStatement
{
    public sealed interface Parsed permits Rewritten, Use {}

    /** The statement answered by this SQL over system tables; {@code table} is set when it must exist. */
    public record Rewritten(String sql, Optional<List<String>> table) implements Parsed {}

    public record Use(Optional<String> catalog, String schema) implements Parsed {}

    private final List<String> tokens = new ArrayList<>();
    private int position;

    private MetadataStatement(String sql)
    {
        tokenize(sql);
    }

    public static Optional<Parsed> parse(String sql, Session session)
    {
        String trimmed = sql.strip();
        String lower = trimmed.toLowerCase(Locale.ROOT);
        if (!(lower.startsWith("show") || lower.startsWith("describe") || lower.startsWith("desc ") || lower.startsWith("use"))) {
            return Optional.empty();
        }
        return new MetadataStatement(trimmed).parse(session);
    }

    private Optional<Parsed> parse(Session session)
    {
        String first = next();
        switch (first) {
            case "use": {
                List<String> name = qualifiedName();
                end();
                if (name.size() == 1) {
                    return Optional.of(new Use(Optional.empty(), name.getFirst()));
                }
                if (name.size() == 2) {
                    return Optional.of(new Use(Optional.of(name.get(0)), name.get(1)));
                }
                throw error("USE takes [catalog.]schema");
            }
            case "describe", "desc":
                return Optional.of(describe(session, qualifiedName()));
            case "show":
                break;
            default:
                return Optional.empty();
        }
        String what = next();
        switch (what) {
            case "catalogs": {
                String like = like();
                end();
                return Optional.of(new Rewritten("SELECT table_cat AS \"Catalog\" FROM system.jdbc.catalogs"
                        + (like == null ? "" : " WHERE table_cat LIKE " + like) + " ORDER BY 1", Optional.empty()));
            }
            case "schemas", "databases": {
                String catalog = session.catalog();
                if (accept("from") || accept("in")) {
                    catalog = identifier();
                }
                String like = like();
                end();
                return Optional.of(new Rewritten("SELECT table_schem AS \"Schema\" FROM system.jdbc.schemas WHERE table_catalog = " + quote(catalog)
                        + (like == null ? "" : " AND table_schem LIKE " + like) + " ORDER BY 1", Optional.empty()));
            }
            case "tables": {
                String catalog = session.catalog();
                String schema = session.schema();
                if (accept("from") || accept("in")) {
                    List<String> name = qualifiedName();
                    if (name.size() == 2) {
                        catalog = name.get(0);
                    }
                    schema = name.getLast();
                }
                String like = like();
                end();
                return Optional.of(new Rewritten("SELECT table_name AS \"Table\" FROM system.jdbc.tables WHERE table_cat = " + quote(catalog)
                        + " AND table_schem = " + quote(schema) + (like == null ? "" : " AND table_name LIKE " + like) + " ORDER BY 1", Optional.empty()));
            }
            case "columns": {
                if (!(accept("from") || accept("in"))) {
                    throw error("expected FROM after SHOW COLUMNS");
                }
                return Optional.of(describe(session, qualifiedName()));
            }
            default:
                throw error("SHOW " + what.toUpperCase(Locale.ROOT) + " is not supported; supported: SHOW CATALOGS, SHOW SCHEMAS, SHOW TABLES, SHOW COLUMNS");
        }
    }

    private Rewritten describe(Session session, List<String> name)
    {
        end();
        List<String> table = switch (name.size()) {
            case 1 -> List.of(session.catalog(), session.schema(), name.get(0));
            case 2 -> List.of(session.catalog(), name.get(0), name.get(1));
            case 3 -> name;
            default -> throw error("bad table name " + String.join(".", name));
        };
        String sql = "SELECT column_name AS \"Column\", type_name AS \"Type\", '' AS \"Extra\", coalesce(remarks, '') AS \"Comment\""
                + " FROM system.jdbc.columns WHERE table_cat = " + quote(table.get(0)) + " AND table_schem = " + quote(table.get(1))
                + " AND table_name = " + quote(table.get(2)) + " ORDER BY ordinal_position";
        return new Rewritten(sql, Optional.of(table));
    }

    private String like()
    {
        if (!accept("like")) {
            return null;
        }
        String pattern = next();
        if (!pattern.startsWith("'")) {
            throw error("LIKE needs a string pattern");
        }
        return pattern;
    }

    private List<String> qualifiedName()
    {
        List<String> parts = new ArrayList<>();
        parts.add(identifier());
        while (accept(".")) {
            parts.add(identifier());
        }
        return parts;
    }

    private String identifier()
    {
        String token = next();
        if (token.startsWith("\"")) {
            return token.substring(1, token.length() - 1).replace("\"\"", "\"").toLowerCase(Locale.ROOT);
        }
        if (token.isEmpty() || !(Character.isLetter(token.charAt(0)) || token.charAt(0) == '_')) {
            throw error("expected a name but found '" + token + "'");
        }
        return token;
    }

    private boolean accept(String token)
    {
        if (position < tokens.size() && tokens.get(position).equals(token)) {
            position++;
            return true;
        }
        return false;
    }

    private String next()
    {
        if (position >= tokens.size()) {
            throw error("unexpected end of statement");
        }
        return tokens.get(position++);
    }

    private void end()
    {
        if (position < tokens.size()) {
            throw error("unexpected '" + tokens.get(position) + "'");
        }
    }

    private void tokenize(String sql)
    {
        int i = 0;
        if (sql.endsWith(";")) {
            sql = sql.substring(0, sql.length() - 1);
        }
        while (i < sql.length()) {
            char c = sql.charAt(i);
            if (Character.isWhitespace(c)) {
                i++;
            }
            else if (c == '\'' || c == '"') {
                int start = i++;
                while (i < sql.length()) {
                    if (sql.charAt(i) == c) {
                        if (i + 1 < sql.length() && sql.charAt(i + 1) == c) {
                            i += 2;
                            continue;
                        }
                        break;
                    }
                    i++;
                }
                tokens.add(sql.substring(start, Math.min(i + 1, sql.length())));
                i++;
            }
            else if (Character.isLetterOrDigit(c) || c == '_' || c == '$') {
                int start = i;
                while (i < sql.length() && (Character.isLetterOrDigit(sql.charAt(i)) || sql.charAt(i) == '_' || sql.charAt(i) == '$')) {
                    i++;
                }
                tokens.add(sql.substring(start, i).toLowerCase(Locale.ROOT));
            }
            else {
                tokens.add(String.valueOf(c));
                i++;
            }
        }
    }

    private static String quote(String value)
    {
        return "'" + value.replace("'", "''") + "'";
    }

    private static GlauxException error(String message)
    {
        return new GlauxException(ErrorCode.SYNTAX_ERROR, new ErrorLocation(1, 1), message, null);
    }
}
