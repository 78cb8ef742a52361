package io.glaux.cli;

import io.glaux.cli.protocol.StatementStats;

import java.util.List;
import java.util.Locale;

/** Human-readable counts, sizes, durations and the progress/summary lines built from them. */
final class StatsFormat
{
    private static final String[] COUNT_UNITS = {"", "K", "M", "B", "T", "Q"};
    private static final String[] BYTE_UNITS = {"B", "KB", "MB", "GB", "TB", "PB", "EB"};

    private StatsFormat() {}

    /** {@code 999}, {@code 1.23K}, {@code 45.6M}, {@code 2B}: three significant digits at most. */
    static String count(double count)
    {
        return scaled(count, 1000, COUNT_UNITS);
    }

    /** {@code 512B}, {@code 1.5KB}, {@code 12MB} (binary multiples). */
    static String bytes(double bytes)
    {
        return scaled(bytes, 1024, BYTE_UNITS);
    }

    private static String scaled(double value, int base, String[] units)
    {
        double scaled = Math.max(0, value);
        if (scaled < base) {
            return Math.round(scaled) + units[0];
        }
        int unit = 0;
        do {
            scaled /= base;
            unit++;
        }
        while (scaled >= 999.5 && unit < units.length - 1);
        String digits;
        if (scaled >= 100) {
            digits = String.format(Locale.ROOT, "%.0f", scaled);
        }
        else if (scaled >= 10) {
            digits = String.format(Locale.ROOT, "%.1f", scaled);
        }
        else {
            digits = String.format(Locale.ROOT, "%.2f", scaled);
        }
        if (digits.contains(".")) {
            digits = digits.replaceAll("0+$", "").replaceAll("\\.$", "");
        }
        return digits + units[unit];
    }

    /** {@code 0.35}, {@code 12.30}, {@code 1:05}, {@code 1:02:03}. */
    static String elapsed(long millis)
    {
        if (millis < 60_000) {
            return String.format(Locale.ROOT, "%.2f", millis / 1000.0);
        }
        long seconds = millis / 1000;
        if (seconds < 3600) {
            return String.format(Locale.ROOT, "%d:%02d", seconds / 60, seconds % 60);
        }
        return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
    }

    /** {@code Query <id>, RUNNING, 3/10 splits, 1.2M rows, 34.5MB, 12.3s}. */
    static String progressLine(String queryId, StatementStats stats)
    {
        return String.format(Locale.ROOT, "Query %s, %s, %d/%d splits, %s rows, %s, %.1fs",
                queryId, stats.state(), stats.completedSplits(), stats.totalSplits(),
                count(stats.processedRows()), bytes(stats.processedBytes()), stats.elapsedTimeMillis() / 1000.0);
    }

    /**
     * The summary printed after a statement in the interactive console:
     * <pre>
     * Query 20250101_120000_00001_abcde, FINISHED, 2 nodes
     * Splits: 4 total, 4 done (100.00%)
     * 0.35 [1M rows, 12MB] [2.86M rows/s, 34.3MB/s]
     * </pre>
     */
    static List<String> summary(String queryId, StatementStats stats)
    {
        int nodes = stats.nodes();
        String first = "Query " + queryId + ", " + stats.state() + ", " + nodes + (nodes == 1 ? " node" : " nodes");
        double percent = stats.totalSplits() == 0 ? 100.0 : 100.0 * stats.completedSplits() / stats.totalSplits();
        String second = String.format(Locale.ROOT, "Splits: %d total, %d done (%.2f%%)",
                stats.totalSplits(), stats.completedSplits(), percent);
        double seconds = stats.elapsedTimeMillis() / 1000.0;
        double rowRate = seconds > 0 ? stats.processedRows() / seconds : 0;
        double byteRate = seconds > 0 ? stats.processedBytes() / seconds : 0;
        String third = elapsed(stats.elapsedTimeMillis())
                + " [" + count(stats.processedRows()) + " rows, " + bytes(stats.processedBytes()) + "]"
                + " [" + count(rowRate) + " rows/s, " + bytes(byteRate) + "/s]";
        return List.of(first, second, third);
    }
}
