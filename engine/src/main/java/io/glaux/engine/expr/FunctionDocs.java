package io.glaux.engine.expr;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The function list of docs/sql.md, generated from the {@link FunctionRegistry} so that it cannot go
 * stale: {@code FunctionDocsTest} fails when the file differs; {@link #main} rewrites it.
 */
public final class FunctionDocs
{
    public static final String BEGIN = "<!-- BEGIN GENERATED FUNCTION LIST: edit FunctionRegistry, then run FunctionDocs -->";
    public static final String END = "<!-- END GENERATED FUNCTION LIST -->";

    private FunctionDocs() {}

    /** The markdown table of every function, between the markers. */
    public static String markdown()
    {
        StringBuilder out = new StringBuilder();
        out.append(BEGIN).append("\n\n");
        out.append("| function | arguments | returns | description | difference from Trino |\n");
        out.append("|---|---|---|---|---|\n");
        for (FunctionRegistry.FunctionInfo f : FunctionRegistry.functions()) {
            out.append("| `").append(f.name()).append("` | ").append(escape(f.arguments()))
                    .append(" | ").append(escape(f.returns()))
                    .append(" | ").append(escape(f.description()))
                    .append(" | ").append(escape(f.difference()))
                    .append(" |\n");
        }
        out.append("\n").append(END);
        return out.toString();
    }

    private static String escape(String text)
    {
        return text.replace("|", "\\|");
    }

    /** {@code document} with the text between the markers replaced by {@link #markdown()}. */
    public static String update(String document)
    {
        int begin = document.indexOf(BEGIN);
        int end = document.indexOf(END);
        if (begin < 0 || end < begin) {
            throw new IllegalArgumentException("the document has no generated function list markers");
        }
        return document.substring(0, begin) + markdown() + document.substring(end + END.length());
    }

    /** Rewrites the function list of the file given (default {@code docs/sql.md}). */
    public static void main(String[] args)
            throws IOException
    {
        Path path = Path.of(args.length > 0 ? args[0] : "docs/sql.md");
        String document = Files.readString(path, StandardCharsets.UTF_8);
        Files.writeString(path, update(document), StandardCharsets.UTF_8);
    }
}
