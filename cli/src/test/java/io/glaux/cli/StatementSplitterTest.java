package io.glaux.cli;

import io.glaux.cli.StatementSplitter.Result;
import io.glaux.cli.StatementSplitter.Statement;
import org.junit.jupiter.api.Test;

import static io.glaux.cli.StatementSplitter.Terminator.SEMICOLON;
import static io.glaux.cli.StatementSplitter.Terminator.VERTICAL;
import static org.assertj.core.api.Assertions.assertThat;

class StatementSplitterTest
{
    @Test
    void splitsOnSemicolonsAndStripsWhitespace()
    {
        Result result = StatementSplitter.split("  SELECT 1;\n\tSELECT 2 ;SELECT 3");
        assertThat(result.statements()).containsExactly(new Statement("SELECT 1", SEMICOLON), new Statement("SELECT 2", SEMICOLON));
        assertThat(result.remainder()).isEqualTo("SELECT 3");
        assertThat(result.remainderOpen()).isFalse();
    }

    @Test
    void dropsEmptyStatements()
    {
        Result result = StatementSplitter.split(";; ;\n;");
        assertThat(result.statements()).isEmpty();
        assertThat(result.remainder()).isEmpty();
    }

    @Test
    void ignoresSemicolonsInStringLiteralsWithDoubledQuotes()
    {
        Result result = StatementSplitter.split("SELECT 'a;b', 'it''s; here' FROM t; SELECT 2;");
        assertThat(result.statements()).extracting(Statement::sql)
                .containsExactly("SELECT 'a;b', 'it''s; here' FROM t", "SELECT 2");
    }

    @Test
    void ignoresSemicolonsInQuotedIdentifiers()
    {
        Result result = StatementSplitter.split("SELECT \"a;\"\"b\" FROM `odd;name`; SELECT 2;");
        assertThat(result.statements()).extracting(Statement::sql)
                .containsExactly("SELECT \"a;\"\"b\" FROM `odd;name`", "SELECT 2");
    }

    @Test
    void ignoresSemicolonsInComments()
    {
        String text = """
                -- first; still a comment
                SELECT 1 /* a; block
                   comment; */ + 1;
                SELECT 2; -- trailing; comment
                """;
        Result result = StatementSplitter.split(text);
        assertThat(result.statements()).extracting(Statement::sql).containsExactly(
                "-- first; still a comment\nSELECT 1 /* a; block\n   comment; */ + 1",
                "SELECT 2");
        assertThat(result.remainder()).isEmpty();
    }

    @Test
    void commentOnlyStatementsAreDropped()
    {
        Result result = StatementSplitter.split("-- nothing here;\n/* nor; here */;\n");
        assertThat(result.statements()).isEmpty();
        assertThat(result.remainder()).isEmpty();
        assertThat(StatementSplitter.isEmpty(" -- x\n /* y */ ")).isTrue();
        assertThat(StatementSplitter.isEmpty(" -- x\n 1")).isFalse();
    }

    @Test
    void quoteCharactersInsideCommentsAndOtherQuotesDoNotOpenQuotes()
    {
        Result result = StatementSplitter.split("SELECT 1 -- don't\n; SELECT \"it's\" /* \" */; SELECT '\"';");
        assertThat(result.statements()).extracting(Statement::sql)
                .containsExactly("SELECT 1 -- don't", "SELECT \"it's\" /* \" */", "SELECT '\"'");
    }

    @Test
    void backslashGEndsAStatementForVerticalOutput()
    {
        Result result = StatementSplitter.split("SELECT 1\\G SELECT '\\G';");
        assertThat(result.statements()).containsExactly(new Statement("SELECT 1", VERTICAL), new Statement("SELECT '\\G'", SEMICOLON));
    }

    @Test
    void unterminatedQuoteOrCommentLeavesAnOpenRemainder()
    {
        Result quote = StatementSplitter.split("SELECT 1; SELECT 'abc;\n");
        assertThat(quote.statements()).extracting(Statement::sql).containsExactly("SELECT 1");
        assertThat(quote.remainder()).isEqualTo("SELECT 'abc;");
        assertThat(quote.remainderOpen()).isTrue();

        Result comment = StatementSplitter.split("SELECT 1; /* not closed;");
        assertThat(comment.remainder()).isEqualTo("/* not closed;");
        assertThat(comment.remainderOpen()).isTrue();

        Result identifier = StatementSplitter.split("SELECT \"x;");
        assertThat(identifier.statements()).isEmpty();
        assertThat(identifier.remainderOpen()).isTrue();
    }

    @Test
    void keepsMultiLineStatementTextForErrorPositions()
    {
        Result result = StatementSplitter.split("\n\nSELECT a,\n       b\nFROM t;\n");
        assertThat(result.statements()).extracting(Statement::sql).containsExactly("SELECT a,\n       b\nFROM t");
    }

    @Test
    void consoleKnowsWhenInputIsComplete()
    {
        assertThat(SqlLineParser.isComplete("")).isTrue();
        assertThat(SqlLineParser.isComplete("   ")).isTrue();
        assertThat(SqlLineParser.isComplete("-- just a comment")).isTrue();
        assertThat(SqlLineParser.isComplete("SELECT 1")).isFalse();
        assertThat(SqlLineParser.isComplete("SELECT 1;")).isTrue();
        assertThat(SqlLineParser.isComplete("SELECT 1\\G")).isTrue();
        assertThat(SqlLineParser.isComplete("SELECT ';")).isFalse();
        assertThat(SqlLineParser.isComplete("SELECT 1 /* ; */")).isFalse();
        assertThat(SqlLineParser.isComplete("/* open")).isFalse();
        assertThat(SqlLineParser.isComplete("quit")).isTrue();
        assertThat(SqlLineParser.isComplete(" EXIT ")).isTrue();
        assertThat(SqlLineParser.isComplete("help;")).isTrue();
        assertThat(SqlLineParser.isComplete("SELECT 1; quit")).isTrue();
        assertThat(SqlLineParser.command("Quit;")).isEqualTo("quit");
        assertThat(SqlLineParser.command("quitter")).isNull();
    }
}
