package io.glaux.cli.output;

import io.glaux.cli.protocol.Column;

import java.io.PrintStream;
import java.util.List;

/** The result formats of {@code --output-format}. */
public enum OutputFormat
{
    /** A table with a header, right-aligned numbers and a {@code (N rows)} footer. */
    ALIGNED,
    /** One {@code column | value} line per column, records separated by {@code -[ RECORD n ]-} lines. */
    VERTICAL,
    /** RFC 4180 CSV, every non-NULL value quoted, NULL as an empty unquoted field. */
    CSV,
    /** {@link #CSV} with a header line of column names. */
    CSV_HEADER,
    /** Tab-separated values, {@code \t \n \r \\} escaped, NULL as an empty field. */
    TSV,
    /** {@link #TSV} with a header line of column names. */
    TSV_HEADER,
    /** One JSON object per row, keyed by column name. */
    JSON,
    /** Reads all rows, prints nothing (for timing). */
    NULL;

    public OutputPrinter createPrinter(List<Column> columns, PrintStream out)
    {
        return switch (this) {
            case ALIGNED -> new AlignedPrinter(columns, out);
            case VERTICAL -> new VerticalPrinter(columns, out);
            case CSV -> DelimitedPrinter.csv(columns, out, false);
            case CSV_HEADER -> DelimitedPrinter.csv(columns, out, true);
            case TSV -> DelimitedPrinter.tsv(columns, out, false);
            case TSV_HEADER -> DelimitedPrinter.tsv(columns, out, true);
            case JSON -> new JsonPrinter(columns, out);
            case NULL -> new OutputPrinter()
            {
                @Override
                public void printRow(List<?> row) {}

                @Override
                public void finish(boolean complete) {}
            };
        };
    }
}
