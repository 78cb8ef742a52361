package io.glaux.connectors.arrow;

import static org.assertj.core.api.Assertions.assertThat;

import io.glaux.connectors.format.ColumnHandle;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampMicroVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.complex.MapVector;
import org.apache.arrow.vector.complex.StructVector;
import org.apache.arrow.vector.types.pojo.Field;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

class ArrowTypesTest
{
    private static final Map<Type, Class<? extends FieldVector>> VECTORS = Map.ofEntries(
            Map.entry(Type.BOOLEAN, BitVector.class),
            Map.entry(Type.TINYINT, TinyIntVector.class),
            Map.entry(Type.SMALLINT, SmallIntVector.class),
            Map.entry(Type.INTEGER, IntVector.class),
            Map.entry(Type.BIGINT, BigIntVector.class),
            Map.entry(Type.REAL, Float4Vector.class),
            Map.entry(Type.DOUBLE, Float8Vector.class),
            Map.entry(Type.VARCHAR, VarCharVector.class),
            Map.entry(new Type.Varchar(10), VarCharVector.class),
            Map.entry(Type.VARBINARY, VarBinaryVector.class),
            Map.entry(Type.DATE, DateDayVector.class),
            Map.entry(Type.TIMESTAMP, TimeStampMicroVector.class),
            Map.entry(new Type.Timestamp(6), TimeStampMicroVector.class),
            Map.entry(new Type.Decimal(20, 3), DecimalVector.class),
            Map.entry(new Type.Array(Type.BIGINT), ListVector.class),
            Map.entry(new Type.MapType(Type.VARCHAR, Type.DOUBLE), MapVector.class),
            Map.entry(new Type.Row(List.of(new Type.Field("a", Type.INTEGER), new Type.Field("b", new Type.Array(Type.VARCHAR)))), StructVector.class));

    @Test
    void everyTypeHasItsVector()
    {
        try (BufferAllocator allocator = new RootAllocator()) {
            VECTORS.forEach((type, vectorClass) -> {
                Field field = ArrowTypes.toArrowField("c", type);
                assertThat(field.isNullable()).isTrue();
                assertThat(field.getName()).isEqualTo("c");
                try (FieldVector vector = field.createVector(allocator)) {
                    assertThat(vector).as(type.trinoName()).isInstanceOf(vectorClass);
                }
            });
            Field timestamp = ArrowTypes.toArrowField("ts", Type.TIMESTAMP);
            assertThat(timestamp.getType().toString()).isEqualTo("Timestamp(MICROSECOND, null)");
            Field map = ArrowTypes.toArrowField("m", new Type.MapType(Type.VARCHAR, Type.DOUBLE));
            assertThat(map.getChildren().getFirst().getChildren().getFirst().isNullable()).isFalse();
        }
    }

    @Test
    void constantsFillEveryScalarType()
    {
        List<ColumnHandle> columns = List.of(
                new ColumnHandle("b", Type.BOOLEAN, ColumnHandle.Kind.PARTITION),
                new ColumnHandle("t", Type.TINYINT, ColumnHandle.Kind.PARTITION),
                new ColumnHandle("s", Type.SMALLINT, ColumnHandle.Kind.PARTITION),
                new ColumnHandle("i", Type.INTEGER, ColumnHandle.Kind.PARTITION),
                new ColumnHandle("l", Type.BIGINT, ColumnHandle.Kind.PARTITION),
                new ColumnHandle("r", Type.REAL, ColumnHandle.Kind.PARTITION),
                new ColumnHandle("d", Type.DOUBLE, ColumnHandle.Kind.PARTITION),
                new ColumnHandle("v", Type.VARCHAR, ColumnHandle.Kind.PARTITION),
                new ColumnHandle("x", Type.VARBINARY, ColumnHandle.Kind.PARTITION),
                new ColumnHandle("dt", Type.DATE, ColumnHandle.Kind.PARTITION),
                new ColumnHandle("ts", Type.TIMESTAMP, ColumnHandle.Kind.PARTITION),
                new ColumnHandle("dec", new Type.Decimal(10, 2), ColumnHandle.Kind.PARTITION),
                new ColumnHandle("n", Type.BIGINT, ColumnHandle.Kind.PARTITION));
        Object[] values = {true, 5L, 300L, 70_000L, 1L << 40, 1.5, 2.5, "eu-west", "raw".getBytes(StandardCharsets.UTF_8), 19_000L, 1_000_000L, new BigDecimal("12.3"), null};
        try (BufferAllocator allocator = new RootAllocator();
                VectorSchemaRoot root = VectorSchemaRoot.create(ArrowTypes.toArrowSchema(columns), allocator)) {
            for (int i = 0; i < columns.size(); i++) {
                ConstantVectors.fill(root.getVector(i), columns.get(i).type(), values[i], 3_000);
            }
            root.setRowCount(3_000);
            for (int row : new int[] {0, 2_999}) {
                assertThat(root.getVector("b").getObject(row)).isEqualTo(true);
                assertThat(root.getVector("t").getObject(row)).isEqualTo((byte) 5);
                assertThat(root.getVector("s").getObject(row)).isEqualTo((short) 300);
                assertThat(root.getVector("i").getObject(row)).isEqualTo(70_000);
                assertThat(root.getVector("l").getObject(row)).isEqualTo(1L << 40);
                assertThat(root.getVector("r").getObject(row)).isEqualTo(1.5f);
                assertThat(root.getVector("d").getObject(row)).isEqualTo(2.5);
                assertThat(root.getVector("v").getObject(row)).hasToString("eu-west");
                assertThat((byte[]) root.getVector("x").getObject(row)).isEqualTo("raw".getBytes(StandardCharsets.UTF_8));
                assertThat(((DateDayVector) root.getVector("dt")).get(row)).isEqualTo(19_000);
                assertThat(((TimeStampMicroVector) root.getVector("ts")).get(row)).isEqualTo(1_000_000L);
                assertThat(root.getVector("dec").getObject(row)).isEqualTo(new BigDecimal("12.30"));
                assertThat(root.getVector("n").isNull(row)).isTrue();
            }
        }
    }

    @Test
    void fillsVarcharConstantsAndNullsInBulkIntoReusedVectors()
    {
        try (BufferAllocator allocator = new RootAllocator();
                VarCharVector vector = new VarCharVector("v", allocator)) {
            // a vector reused batch after batch, as a scan does: values, then NULLs, then the empty string
            ConstantVectors.fill(vector, Type.VARCHAR, "2024-03-04", 4_097);
            assertThat(vector.getValueCount()).isEqualTo(4_097);
            assertThat(vector.getNullCount()).isZero();
            for (int row : new int[] {0, 7, 8, 4_095, 4_096}) {
                assertThat(vector.getObject(row)).hasToString("2024-03-04");
            }
            assertThat(vector.getEndOffset(4_096)).isEqualTo(4_097 * 10);

            ConstantVectors.fillNull(vector, 1_003);
            assertThat(vector.getValueCount()).isEqualTo(1_003);
            assertThat(vector.getNullCount()).isEqualTo(1_003);
            assertThat(vector.getEndOffset(1_002)).isZero();

            ConstantVectors.fill(vector, Type.VARCHAR, "", 13);
            assertThat(vector.getNullCount()).isZero();
            assertThat(vector.getObject(12)).hasToString("");

            ConstantVectors.fillNull(vector, 0);
            assertThat(vector.getValueCount()).isZero();
        }
        try (BufferAllocator allocator = new RootAllocator();
                IntVector vector = new IntVector("i", allocator)) {
            ConstantVectors.fill(vector, Type.INTEGER, 7L, 100);
            ConstantVectors.fillNull(vector, 100);
            assertThat(vector.getNullCount()).isEqualTo(100);
        }
    }
}
