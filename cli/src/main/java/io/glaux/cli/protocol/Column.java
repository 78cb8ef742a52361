package io.glaux.cli.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A result column: its name, its type as SQL text ({@code varchar(10)}, {@code array(bigint)}) and
 * the structured type signature ({@code {"rawType": ..., "arguments": [...]}}), kept as a tree.
 */
public record Column(String name, String type, JsonNode typeSignature)
{
}
