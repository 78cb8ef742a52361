package io.glaux.connectors.parquet;

import org.apache.parquet.io.api.Converter;
import org.apache.parquet.io.api.GroupConverter;
import org.apache.parquet.io.api.PrimitiveConverter;
import org.apache.parquet.schema.GroupType;

/**
 * Converters that do nothing. Values are read straight from {@link org.apache.parquet.column.ColumnReader}s,
 * but parquet-column walks a converter tree shaped like the schema to find each column's (unused) converter.
 */
final class NoopConverters
{
    private static final PrimitiveConverter PRIMITIVE = new PrimitiveConverter() {};

    private NoopConverters() {}

    static GroupConverter forGroup(GroupType group)
    {
        Converter[] children = new Converter[group.getFieldCount()];
        for (int i = 0; i < children.length; i++) {
            org.apache.parquet.schema.Type field = group.getType(i);
            children[i] = field.isPrimitive() ? PRIMITIVE : forGroup(field.asGroupType());
        }
        return new GroupConverter()
        {
            @Override
            public Converter getConverter(int fieldIndex)
            {
                return children[fieldIndex];
            }

            @Override
            public void start() {}

            @Override
            public void end() {}
        };
    }
}
