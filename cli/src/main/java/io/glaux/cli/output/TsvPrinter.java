package io.glaux.cli.output;

import io.glaux.cli.protocol.Column;

import java.io.PrintStream;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * Tab-separated values: no quoting; backslash, tab, newline and carriage return escaped as
 * {@code \\ \t \n \r}; NULL as an empty field. Streaming.
 */
final class TsvPrinter
        implements OutputPrinter
{
    private final List<String> names;
    private final List<ColumnType> types;
    private final PrintStream out;
    private boolean headerPending;

    TsvPrinter(List<Column> columns, PrintStream out, boolean header)
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
                line.append('\t');
            }
            escape(line, ValueFormatter.format(i < row.size() ? row.get(i) : null, types.get(i), ""));
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
                    line.append('\t');
                }
                escape(line, names.get(i));
            }
            out.print(line.append('\n'));
        }
    }

    private static void escape(StringBuilder line, String value)
    {
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
