package io.glaux.cli.output;

import io.glaux.cli.protocol.Column;

import java.io.PrintStream;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * RFC 4180 CSV: every non-NULL field in double quotes with quotes doubled, NULL as an empty unquoted
 * field (so it differs from the empty string {@code ""}), lines ended by {@code \n}. Streaming.
 */
final class CsvPrinter
        implements OutputPrinter
{
    private final List<String> names;
    private final List<ColumnType> types;
    private final PrintStream out;
    private boolean headerPending;

    CsvPrinter(List<Column> columns, PrintStream out, boolean header)
    {
        this.names = columns.stream().map(Column::name).toList();
        this.types = columns.stream().map(ColumnType::of).toList();
        this.out = requireNonNull(out, "out is null");
        this.headerPending = header;
    }

    @Override
    public void printRow(List<?> row)
    {
        printHeader();
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < types.size(); i++) {
            if (i > 0) {
                line.append(',');
            }
            Object value = i < row.size() ? row.get(i) : null;
            if (value != null) {
                quote(line, ValueFormatter.format(value, types.get(i), ""));
            }
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
                    line.append(',');
                }
                quote(line, names.get(i));
            }
            out.print(line.append('\n'));
        }
    }

    static void quote(StringBuilder line, String value)
    {
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
}
