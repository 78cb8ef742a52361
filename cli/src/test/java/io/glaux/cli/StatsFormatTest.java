package io.glaux.cli;

import io.glaux.cli.protocol.StatementStats;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class StatsFormatTest
{
    @Test
    void counts()
    {
        assertThat(StatsFormat.count(0)).isEqualTo("0");
        assertThat(StatsFormat.count(999)).isEqualTo("999");
        assertThat(StatsFormat.count(1000)).isEqualTo("1K");
        assertThat(StatsFormat.count(1234)).isEqualTo("1.23K");
        assertThat(StatsFormat.count(45_600)).isEqualTo("45.6K");
        assertThat(StatsFormat.count(1_000_000)).isEqualTo("1M");
        assertThat(StatsFormat.count(2_857_142)).isEqualTo("2.86M");
        assertThat(StatsFormat.count(999_999)).isEqualTo("1M");
        assertThat(StatsFormat.count(3_000_000_000L)).isEqualTo("3B");
    }

    @Test
    void bytes()
    {
        assertThat(StatsFormat.bytes(512)).isEqualTo("512B");
        assertThat(StatsFormat.bytes(1536)).isEqualTo("1.5KB");
        assertThat(StatsFormat.bytes(12L * 1024 * 1024)).isEqualTo("12MB");
        assertThat(StatsFormat.bytes(5L * 1024 * 1024 * 1024 * 1024)).isEqualTo("5TB");
    }

    @Test
    void elapsed()
    {
        assertThat(StatsFormat.elapsed(350)).isEqualTo("0.35");
        assertThat(StatsFormat.elapsed(65_000)).isEqualTo("1:05");
        assertThat(StatsFormat.elapsed(3_723_000)).isEqualTo("1:02:03");
    }

    @Test
    void progressLineAndSummary()
    {
        StatementStats stats = new StatementStats("RUNNING", false, true, null, null, 2, 10, 2, 5, 3, 0, 0, 0, 12_345,
                1_200_000, 34L * 1024 * 1024, 0, 0, 0);
        assertThat(StatsFormat.progressLine("q1", stats)).isEqualTo("Query q1, RUNNING, 3/10 splits, 1.2M rows, 34MB, 12.3s");

        StatementStats finished = new StatementStats("FINISHED", false, true, null, null, 2, 4, 0, 0, 4, 0, 0, 0, 350,
                1_000_000, 12L * 1024 * 1024, 0, 0, 0);
        assertThat(StatsFormat.summary("q1", finished)).containsExactly(
                "Query q1, FINISHED, 2 nodes",
                "Splits: 4 total, 4 done (100.00%)",
                "0.35 [1M rows, 12MB] [2.86M rows/s, 34.3MB/s]");
    }
}
