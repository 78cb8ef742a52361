package io.glaux.spi.type;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Parses type names in both spellings: Hive's ({@code string}, {@code int}, {@code array<int>},
 * {@code struct<a:int>}, {@code map<string,int>}) and Trino's ({@code varchar}, {@code integer},
 * {@code array(integer)}, {@code row(a integer)}, {@code map(varchar, integer)}).
 */
public final class TypeParser
{
    private final String text;
    private int pos;

    private TypeParser(String text)
    {
        this.text = text;
    }

    public static Type parse(String text)
    {
        TypeParser parser = new TypeParser(text);
        Type type = parser.type();
        parser.skipSpaces();
        if (parser.pos != text.length()) {
            throw parser.error("unexpected '" + text.substring(parser.pos) + "'");
        }
        return type;
    }

    private Type type()
    {
        String name = identifier().toLowerCase(Locale.ROOT);
        switch (name) {
            case "boolean": return Type.BOOLEAN;
            case "tinyint": return Type.TINYINT;
            case "smallint": return Type.SMALLINT;
            case "int", "integer": return Type.INTEGER;
            case "bigint": return Type.BIGINT;
            case "float", "real": return Type.REAL;
            case "double": return Type.DOUBLE;
            case "binary", "varbinary": return Type.VARBINARY;
            case "date": return Type.DATE;
            case "uuid": return Type.UUID;
            case "ipaddress": return Type.IPADDRESS;
            case "ipprefix": return Type.IPPREFIX;
            case "json": return Type.JSON;
            case "string": return Type.VARCHAR;
            case "varchar", "char":
                if (peek('(')) {
                    expect('(');
                    int length = number();
                    expect(')');
                    return new Type.Varchar(length);
                }
                return Type.VARCHAR;
            case "timestamp":
                if (peek('(')) {
                    expect('(');
                    int precision = number();
                    expect(')');
                    return new Type.Timestamp(precision);
                }
                return Type.TIMESTAMP;
            case "decimal", "numeric":
                if (peek('(')) {
                    expect('(');
                    int precision = number();
                    int scale = 0;
                    if (peek(',')) {
                        expect(',');
                        scale = number();
                    }
                    expect(')');
                    return new Type.Decimal(precision, scale);
                }
                return new Type.Decimal(10, 0);
            case "double precision": return Type.DOUBLE;
            case "array": {
                char close = open();
                Type element = type();
                expect(close);
                return new Type.Array(element);
            }
            case "map": {
                char close = open();
                Type key = type();
                expect(',');
                Type value = type();
                expect(close);
                return new Type.MapType(key, value);
            }
            case "struct", "row": {
                char close = open();
                boolean hive = close == '>';
                List<Type.Field> fields = new ArrayList<>();
                do {
                    if (!fields.isEmpty()) {
                        expect(',');
                    }
                    String field = fieldName();
                    if (hive) {
                        expect(':');
                    }
                    fields.add(new Type.Field(field, type()));
                }
                while (peek(','));
                expect(close);
                return new Type.Row(fields);
            }
            default:
                throw error("unknown type '" + name + "'");
        }
    }

    private char open()
    {
        skipSpaces();
        if (peek('<')) {
            expect('<');
            return '>';
        }
        expect('(');
        return ')';
    }

    private String fieldName()
    {
        skipSpaces();
        if (pos < text.length() && (text.charAt(pos) == '`' || text.charAt(pos) == '"')) {
            char quote = text.charAt(pos++);
            int end = text.indexOf(quote, pos);
            if (end < 0) {
                throw error("unterminated quoted field name");
            }
            String name = text.substring(pos, end);
            pos = end + 1;
            return name;
        }
        return identifier().toLowerCase(Locale.ROOT);
    }

    private String identifier()
    {
        skipSpaces();
        int start = pos;
        while (pos < text.length() && (Character.isLetterOrDigit(text.charAt(pos)) || text.charAt(pos) == '_')) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a type name");
        }
        String word = text.substring(start, pos);
        if (word.equalsIgnoreCase("double")) {
            int save = pos;
            skipSpaces();
            int wordStart = pos;
            while (pos < text.length() && Character.isLetter(text.charAt(pos))) {
                pos++;
            }
            if (text.substring(wordStart, pos).equalsIgnoreCase("precision")) {
                return "double";
            }
            pos = save;
        }
        return word;
    }

    private int number()
    {
        skipSpaces();
        int start = pos;
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        if (start == pos) {
            throw error("expected a number");
        }
        return Integer.parseInt(text.substring(start, pos));
    }

    private boolean peek(char c)
    {
        skipSpaces();
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c)
    {
        skipSpaces();
        if (pos >= text.length() || text.charAt(pos) != c) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private void skipSpaces()
    {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private GlauxException error(String message)
    {
        return new GlauxException(ErrorCode.TYPE_MISMATCH, "Invalid type '" + text + "' at offset " + pos + ": " + message);
    }
}
