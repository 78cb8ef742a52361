package io.glaux.cli.output;

import io.glaux.cli.protocol.Column;

import java.io.PrintStream;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One line per row, fields separated by a character. Streaming.
 * <ul>
 * <li>CSV (RFC 4180): every non-NULL field in double quotes with quotes doubled, NULL as an empty
 *     unquoted field (so it differs from the empty string {@code ""}).</li>
 * <li>TSV: no quoting; backslash, tab, newline and carriage return escaped as {@code \\ \t \n \r};
 *     NULL as an empty field.</li>
 * </ul>
 */
final class DelimitedPrinter
        implements OutputPrinter
{
    /** Appends one field; {@code value} is null for SQL NULL. */
    private interface FieldEncoder
    {
        void append(StringBuilder line, String value);
    }

    private final List<String> names;
    private final List<ColumnType> types;
    private final PrintStream out;
    private final char separator;
    private final FieldEncoder encoder;
    private boolean headerPending;

    private DelimitedPrinter(List<Column> columns, PrintStream out, boolean header, char separator, FieldEncoder encoder)
    {
        this.names = columns.stream().map(Column::name).toList();
        this.types = columns.stream().map(ColumnType::of).toList();
        this.out = requireNonNull(out, "out is null");
        this.headerPending = header;
        this.separator = separator;
        this.encoder = requireNonNull(encoder, "encoder is null");
    }

    static DelimitedPrinter csv(List<Column> columns, PrintStream out, boolean header)
    {
        return new DelimitedPrinter(columns, out, header, ',', DelimitedPrinter::quote);
    }

    static DelimitedPrinter tsv(List<Column> columns, PrintStream out, boolean header)
    {
        return new DelimitedPrinter(columns, out, header, '\t', DelimitedPrinter::escape);
    }

    @Override
    public void printRow(List<?> row)
    {
        printHeader();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            if (i > 0) {
                line.append(separator);
            }
            Object value = i < row.size() ? row.get(i) : null;
            encoder.append(line, value == null ? null : ValueFormatter.format(value, types.get(i), ""));
        }
        out.print(line.append('\n'));
    }

    @Override
    public void finish(boolean complete)
    {
        if (complete) {
            printHeader();
        }
        out.flush();
    }

    private void printHeader()
    {
        if (headerPending) {
            headerPending = false;
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < names.size(); i++) {
                if (i > 0) {
                    line.append(separator);
                }
                encoder.append(line, names.get(i));
            }
            out.print(line.append('\n'));
        }
    }

    static void quote(StringBuilder line, String value)
    {
        if (value == null) {
            return;
        }
        line.append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c == '"') {
                line.append('"');
            }
            line.append(c);
        }
        line.append('"');
    }

    private static void escape(StringBuilder line, String value)
    {
        if (value == null) {
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '\\' -> line.append("\\\\");
                case '\t' -> line.append("\\t");
                case '\n' -> line.append("\\n");
                case '\r' -> line.append("\\r");
                default -> line.append(c);
            }
        }
    }
}
