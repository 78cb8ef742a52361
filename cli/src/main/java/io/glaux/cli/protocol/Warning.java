package io.glaux.cli.protocol;

import com.fasterxml.jackson.databind.JsonNode;

/** A warning attached to a statement's results. */
public record Warning(JsonNode warningCode, String message)
{
}
