package io.glaux.cli;

import io.glaux.cli.protocol.ErrorLocation;
import io.glaux.cli.protocol.QueryError;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class ErrorRendererTest
{
    @Test
    void pointsAtTheErrorColumnWithACaret()
    {
        QueryError error = new QueryError("line 2:7: Column 'x' cannot be resolved", null, 47, "COLUMN_NOT_FOUND", "USER_ERROR",
                new ErrorLocation(2, 7), null);
        List<String> lines = ErrorRenderer.render("q1", error, "SELECT a\nWHERE x > 1", false);
        assertThat(lines).containsExactly(
                "Query q1 failed: line 2:7: Column 'x' cannot be resolved",
                "LINE 2:7: WHERE x > 1",
                "                ^");
        assertThat(lines.get(2).indexOf('^')).isEqualTo(lines.get(1).indexOf("x >"));
    }

    @Test
    void caretFollowsTabs()
    {
        List<String> lines = ErrorRenderer.pointAt("\tSELECT\tbad", 1, 9);
        assertThat(lines.get(0)).isEqualTo("LINE 1:9: \tSELECT\tbad");
        assertThat(lines.get(1)).isEqualTo("          \t      \t^");
    }

    @Test
    void caretAfterTheEndOfTheLine()
    {
        List<String> lines = ErrorRenderer.pointAt("SELECT", 1, 7);
        assertThat(lines).containsExactly("LINE 1:7: SELECT", "                ^");
    }

    @Test
    void longLinesAreCutAroundTheColumn()
    {
        String sql = "SELECT " + "a, ".repeat(100) + "oops, " + "b, ".repeat(100) + "c";
        int column = sql.indexOf("oops") + 1;
        List<String> lines = ErrorRenderer.pointAt(sql, 1, column);
        assertThat(lines.get(0)).startsWith("LINE 1:" + column + ": ...").endsWith("...");
        assertThat(lines.get(0).length()).isLessThan(130);
        int caret = lines.get(1).indexOf('^');
        assertThat(lines.get(0).substring(caret)).startsWith("oops");
    }

    @Test
    void noPositionOrOutOfRangeShowsOnlyTheMessage()
    {
        QueryError noLocation = new QueryError("Query exceeded maximum time limit", null, 0, "EXCEEDED_TIME_LIMIT", "INSUFFICIENT_RESOURCES", null, null);
        assertThat(ErrorRenderer.render("q2", noLocation, "SELECT 1", false))
                .containsExactly("Query q2 failed: Query exceeded maximum time limit");
        QueryError beyond = new QueryError("bad", null, 0, "X", "USER_ERROR", new ErrorLocation(5, 1), null);
        assertThat(ErrorRenderer.render("q3", beyond, "SELECT 1", false)).containsExactly("Query q3 failed: bad");
    }

    @Test
    void debugAddsTheErrorName()
    {
        QueryError error = new QueryError("boom", null, 65536, "GENERIC_INTERNAL_ERROR", "INTERNAL_ERROR", null, null);
        assertThat(ErrorRenderer.render("q4", error, "SELECT 1", true))
                .containsExactly("Query q4 failed: boom", "Error: GENERIC_INTERNAL_ERROR (65536, INTERNAL_ERROR)");
    }
}
