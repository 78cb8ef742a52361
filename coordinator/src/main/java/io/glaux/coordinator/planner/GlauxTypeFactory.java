package io.glaux.coordinator.planner;

import org.apache.calcite.jdbc.JavaTypeFactoryImpl;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;

/**
 * Calcite's type factory with Trino's string semantics: character types are Unicode (UTF-8), so a
 * literal such as {@code '東京'} or {@code 'Zürich'} is a varchar like any other. Calcite's default,
 * ISO-8859-1, refuses every character outside Latin-1 when it builds the literal.
 */
public final class GlauxTypeFactory
        extends JavaTypeFactoryImpl
{
    public GlauxTypeFactory()
    {
        super(GlauxTypeSystem.INSTANCE);
    }

    @Override
    public Charset getDefaultCharset()
    {
        return StandardCharsets.UTF_8;
    }
}
