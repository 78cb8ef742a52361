package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** docs/sql.md lists exactly the registry's functions. */
class FunctionDocsTest
{
    @Test
    void sqlReferenceListsTheRegistry()
            throws IOException
    {
        Path path = Path.of("..", "docs", "sql.md");
        String document = Files.readString(path, StandardCharsets.UTF_8);
        assertThat(document)
                .as("docs/sql.md is stale: from the repository root, run io.glaux.engine.expr.FunctionDocs "
                        + "(java -cp <engine classpath> io.glaux.engine.expr.FunctionDocs docs/sql.md)")
                .isEqualTo(FunctionDocs.update(document));
        for (String name : FunctionRegistry.names()) {
            assertThat(document).contains("| `" + name + "` |");
        }
    }
}
