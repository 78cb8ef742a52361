package io.glaux.cli.output;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.glaux.cli.protocol.Column;

import java.io.IOException;
import java.io.PrintStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.List;

import static java.util.Objects.requireNonNull;

/**
 * JSON lines: one object per row, keyed by column name in column order; rows nested in values become
 * objects keyed by field name, arrays and maps stay JSON arrays and objects. Streaming.
 */
final class JsonPrinter
        implements OutputPrinter
{
    private static final ObjectMapper MAPPER = JsonMapper.builder().build();

    private final List<String> names;
    private final List<ColumnType> types;
    private final PrintStream out;

    JsonPrinter(List<Column> columns, PrintStream out)
    {
        this.names = columns.stream().map(Column::name).toList();
        this.types = columns.stream().map(ColumnType::of).toList();
        this.out = requireNonNull(out, "out is null");
    }

    @Override
    public void printRow(List<?> row)
    {
        StringWriter text = new StringWriter();
        try (JsonGenerator generator = MAPPER.createGenerator(text)) {
            generator.writeStartObject();
            for (int i = 0; i < names.size(); i++) {
                generator.writeFieldName(names.get(i));
                generator.writeObject(ValueFormatter.toJson(i < row.size() ? row.get(i) : null, types.get(i)));
            }
            generator.writeEndObject();
        }
        catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out.print(text.append('\n'));
    }

    @Override
    public void finish(boolean complete)
    {
        out.flush();
    }
}
