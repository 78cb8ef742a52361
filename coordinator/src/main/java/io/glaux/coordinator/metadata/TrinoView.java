package io.glaux.coordinator.metadata;

import static java.util.Objects.requireNonNull;

import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.glaux.catalog.model.Table;
import io.glaux.catalog.model.TableType;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * A view as Trino stores it in the Hive metastore, so Trino and Glaux read each other's views: table
 * type {@code VIRTUAL_VIEW}, table parameter {@code presto_view=true}, and the original text
 * {@code /* Presto View: <base64 JSON> *}{@code /} with the SQL, the catalog and schema it resolves
 * names in, and its columns with Trino type names.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TrinoView(
        @JsonProperty("originalSql") String originalSql,
        @JsonProperty("catalog") String catalog,
        @JsonProperty("schema") String schema,
        @JsonProperty("columns") List<ViewColumn> columns,
        @JsonProperty("owner") String owner,
        @JsonProperty("runAsInvoker") boolean runAsInvoker)
{
    public static final String VIEW_FLAG = "presto_view";
    private static final String PREFIX = "/* Presto View: ";
    private static final String SUFFIX = " */";
    public static final String EXPANDED_TEXT = "/* Presto View */";
    private static final ObjectMapper MAPPER = new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

    public TrinoView
    {
        requireNonNull(originalSql, "originalSql is null");
        columns = List.copyOf(requireNonNull(columns, "columns is null"));
    }

    @JsonInclude(JsonInclude.Include.NON_NULL)
    public record ViewColumn(@JsonProperty("name") String name, @JsonProperty("type") String type)
    {
        public ViewColumn
        {
            requireNonNull(name, "name is null");
            requireNonNull(type, "type is null");
        }
    }

    /** The view a metastore table holds, when it is a Trino-style view. */
    public static Optional<TrinoView> of(Table table)
    {
        if (table.tableType() != TableType.VIRTUAL_VIEW) {
            return Optional.empty();
        }
        return table.viewOriginalText().flatMap(TrinoView::decode);
    }

    public static Optional<TrinoView> decode(String viewOriginalText)
    {
        String text = viewOriginalText.strip();
        if (!text.startsWith(PREFIX) || !text.endsWith(SUFFIX)) {
            return Optional.empty();
        }
        try {
            byte[] json = Base64.getDecoder().decode(text.substring(PREFIX.length(), text.length() - SUFFIX.length()).strip());
            return Optional.of(MAPPER.readValue(json, TrinoView.class));
        }
        catch (IllegalArgumentException | java.io.IOException e) {
            return Optional.empty();
        }
    }

    public String encode()
    {
        try {
            return PREFIX + Base64.getEncoder().encodeToString(MAPPER.writeValueAsString(this).getBytes(StandardCharsets.UTF_8)) + SUFFIX;
        }
        catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }
}
