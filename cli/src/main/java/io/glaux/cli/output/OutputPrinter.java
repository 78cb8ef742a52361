package io.glaux.cli.output;

import java.util.List;

/** Prints the rows of one statement's results in one output format. */
public interface OutputPrinter
{
    void printRow(List<?> row);

    /**
     * Ends the output. {@code complete} is false when the statement failed or was cancelled part way:
     * rows still buffered are printed, footers such as {@code (N rows)} are not.
     */
    void finish(boolean complete);
}
