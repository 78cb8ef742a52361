package io.glaux.cli.output;

import io.glaux.cli.protocol.Column;

import java.io.PrintStream;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * One record at a time, one line per column:
 * <pre>
 * -[ RECORD 1 ]------
 * id    | 1
 * name  | alice
 * </pre>
 * Streaming: nothing is buffered. A result without rows prints {@code (no rows)}.
 */
final class VerticalPrinter
        implements OutputPrinter
{
    private final List<String> names;
    private final List<ColumnType> types;
    private final PrintStream out;
    private final int nameWidth;
    private long rowCount;

    VerticalPrinter(List<Column> columns, PrintStream out)
    {
        this.names = columns.stream().map(Column::name).toList();
        this.types = columns.stream().map(ColumnType::of).toList();
        this.out = requireNonNull(out, "out is null");
        this.nameWidth = names.stream().mapToInt(DisplayWidth::of).max().orElse(0);
    }

    @Override
    public void printRow(List<?> row)
    {
        rowCount++;
        String[] values = new String[names.size()];
        int valueWidth = 0;
        for (int i = 0; i < values.length; i++) {
            values[i] = ValueFormatter.format(i < row.size() ? row.get(i) : null, types.get(i), "NULL");
            for (String line : values[i].split("\n", -1)) {
                valueWidth = Math.max(valueWidth, DisplayWidth.of(line));
            }
        }
        String header = "-[ RECORD " + rowCount + " ]";
        out.println(header + "-".repeat(Math.max(1, nameWidth + 3 + valueWidth - header.length())));
        String continuation = " ".repeat(nameWidth) + " | ";
        for (int i = 0; i < values.length; i++) {
            String[] lines = values[i].split("\n", -1);
            out.println((DisplayWidth.pad(names.get(i), nameWidth, false) + " | " + lines[0]).stripTrailing());
            for (int line = 1; line < lines.length; line++) {
                out.println((continuation + lines[line]).stripTrailing());
            }
        }
    }

    @Override
    public void finish(boolean complete)
    {
        if (complete && rowCount == 0) {
            out.println("(no rows)");
        }
        out.flush();
    }
}
