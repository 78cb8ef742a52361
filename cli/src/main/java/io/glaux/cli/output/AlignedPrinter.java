package io.glaux.cli.output;

import io.glaux.cli.protocol.Column;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * A table in the style of Trino's CLI:
 * <pre>
 *  id | name  | score
 * ----+-------+-------
 *   1 | alice |   3.5
 *   2 | bob   |  NULL
 * (2 rows)
 * </pre>
 * Headers are centered, numbers right-aligned, other values left-aligned; a value with line breaks
 * takes several lines. Column widths come from the header and the first {@value #WINDOW} rows (later
 * windows can only widen columns), so at most that many rows are held in memory.
 */
final class AlignedPrinter
        implements OutputPrinter
{
    static final int WINDOW = 10_000;

    private final List<String> names;
    private final List<ColumnType> types;
    private final PrintStream out;
    private final int[] widths;
    private final List<String[]> buffer = new ArrayList<>();
    private boolean headerPrinted;
    private long rowCount;

    AlignedPrinter(List<Column> columns, PrintStream out)
    {
        this.names = columns.stream().map(Column::name).toList();
        this.types = columns.stream().map(ColumnType::of).toList();
        this.out = requireNonNull(out, "out is null");
        this.widths = new int[columns.size()];
        for (int i = 0; i < names.size(); i++) {
            widths[i] = DisplayWidth.of(names.get(i));
        }
    }

    @Override
    public void printRow(List<?> row)
    {
        String[] cells = new String[names.size()];
        for (int i = 0; i < cells.length; i++) {
            cells[i] = ValueFormatter.format(i < row.size() ? row.get(i) : null, types.get(i), "NULL");
        }
        buffer.add(cells);
        rowCount++;
        if (buffer.size() >= WINDOW) {
            flush();
        }
    }

    @Override
    public void finish(boolean complete)
    {
        flush();
        if (complete) {
            out.println("(" + rowCount + (rowCount == 1 ? " row)" : " rows)"));
        }
        out.flush();
    }

    private void flush()
    {
        for (String[] cells : buffer) {
            for (int i = 0; i < cells.length; i++) {
                for (String line : cells[i].split("\n", -1)) {
                    widths[i] = Math.max(widths[i], DisplayWidth.of(line));
                }
            }
        }
        if (!headerPrinted) {
            headerPrinted = true;
            StringBuilder header = new StringBuilder();
            StringBuilder separator = new StringBuilder();
            for (int i = 0; i < widths.length; i++) {
                if (i > 0) {
                    header.append('|');
                    separator.append('+');
                }
                header.append(' ').append(DisplayWidth.center(names.get(i), widths[i])).append(' ');
                separator.append("-".repeat(widths[i] + 2));
            }
            out.println(header.toString().stripTrailing());
            out.println(separator);
        }
        for (String[] cells : buffer) {
            printCells(cells);
        }
        buffer.clear();
    }

    private void printCells(String[] cells)
    {
        String[][] lines = new String[cells.length][];
        int height = 1;
        for (int i = 0; i < cells.length; i++) {
            lines[i] = cells[i].split("\n", -1);
            height = Math.max(height, lines[i].length);
        }
        StringBuilder text = new StringBuilder();
        for (int line = 0; line < height; line++) {
            for (int i = 0; i < cells.length; i++) {
                if (i > 0) {
                    text.append('|');
                }
                String value = line < lines[i].length ? lines[i][line] : "";
                text.append(' ').append(DisplayWidth.pad(value, widths[i], types.get(i).isNumeric())).append(' ');
            }
            out.println(text.toString().stripTrailing());
            text.setLength(0);
        }
    }
}
