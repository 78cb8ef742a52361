package io.glaux.cli;

import org.jline.reader.CompletingParsedLine;
import org.jline.reader.EOFError;
import org.jline.reader.ParsedLine;
import org.jline.reader.Parser;

import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Tells JLine when the input is complete: when every statement is terminated by {@code ;} or
 * {@code \G} (quotes and comments respected), or the input is a console command such as
 * {@code quit}. Otherwise Enter continues on a new line with the continuation prompt.
 */
final class SqlLineParser
        implements Parser
{
    static final Set<String> COMMANDS = Set.of("quit", "exit", "help");

    @Override
    public ParsedLine parse(String line, int cursor, ParseContext context)
    {
        if (context == ParseContext.ACCEPT_LINE && !isComplete(line)) {
            throw new EOFError(-1, cursor, "statement not terminated", ";");
        }
        return new WholeLine(line, cursor);
    }

    static boolean isComplete(String text)
    {
        StatementSplitter.Result result = StatementSplitter.split(text);
        return result.remainder().isEmpty() || (!result.remainderOpen() && command(result.remainder()) != null);
    }

    /** The console command {@code text} is ({@code quit}, {@code exit}, {@code help}), or null. */
    static String command(String text)
    {
        String word = text.strip();
        while (word.endsWith(";")) {
            word = word.substring(0, word.length() - 1).strip();
        }
        word = word.toLowerCase(Locale.ROOT);
        return COMMANDS.contains(word) ? word : null;
    }

    /** The whole input as one word: the console offers no completion. */
    private record WholeLine(String line, int cursor)
            implements CompletingParsedLine
    {
        @Override
        public CharSequence escape(CharSequence candidate, boolean complete)
        {
            return candidate;
        }

        @Override
        public int rawWordCursor()
        {
            return cursor;
        }

        @Override
        public int rawWordLength()
        {
            return line.length();
        }

        @Override
        public String word()
        {
            return line;
        }

        @Override
        public int wordCursor()
        {
            return cursor;
        }

        @Override
        public int wordIndex()
        {
            return 0;
        }

        @Override
        public List<String> words()
        {
            return List.of(line);
        }
    }
}
