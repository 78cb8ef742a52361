package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.Reference;
import io.glaux.engine.TestBatches;
import io.glaux.engine.expr.Expression.Call;
import io.glaux.engine.expr.Expression.InputRef;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.engine.expr.Expression.Operator;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

class ProjectorTest
{
    private BufferAllocator allocator;

    @BeforeEach
    void setUp()
    {
        allocator = new RootAllocator();
    }

    @AfterEach
    void tearDown()
    {
        allocator.close();
    }

    static Call call(Operator operator, Type type, Expression... args)
    {
        return new Call(operator, List.of(args), type);
    }

    static Literal lit(Object value, Type type)
    {
        return new Literal(value, type);
    }

    private List<List<Object>> project(List<Type> types, Object[][] columns, Selection selection, Expression... projections)
    {
        try (VectorSchemaRoot batch = TestBatches.batch(allocator, types, columns);
                VectorSchemaRoot out = Projector.compile(List.of(projections), types).project(batch, selection, allocator)) {
            return TestBatches.rows(out);
        }
    }

    private List<Object> projectColumn(Type type, Object[] values, Expression projection)
    {
        List<List<Object>> rows = project(List.of(type), new Object[][] {values}, new Selection().selectAll(values.length), projection);
        return rows.stream().map(List::getFirst).toList();
    }

    @Test
    void arithmeticMatchesReferenceForIntegerAndFloatingTypes()
    {
        List<Type> types = List.of(Type.TINYINT, Type.SMALLINT, Type.INTEGER, Type.BIGINT, Type.REAL, Type.DOUBLE);
        int rows = 300;
        Random random = new Random(3);
        Object[][] columns = new Object[types.size()][rows];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < types.size(); c++) {
                columns[c][r] = random.nextInt(8) == 0 ? null
                        : SqlTypes.isIntegral(types.get(c)) ? (long) (random.nextInt(41) - 20) : (double) (float) ((random.nextInt(81) - 40) / 4.0);
            }
        }
        Operator[] operators = {Operator.ADD, Operator.SUBTRACT, Operator.MULTIPLY};
        List<Expression> projections = new ArrayList<>();
        for (int a = 0; a < types.size(); a++) {
            for (int b = 0; b < types.size(); b++) {
                Type result = resultType(types.get(a), types.get(b));
                for (Operator operator : operators) {
                    projections.add(call(operator, result, new InputRef(a, types.get(a)), new InputRef(b, types.get(b))));
                }
                if (SqlTypes.isFloating(result)) {
                    projections.add(call(Operator.DIVIDE, result, new InputRef(a, types.get(a)), new InputRef(b, types.get(b))));
                    projections.add(call(Operator.MODULUS, result, new InputRef(a, types.get(a)), new InputRef(b, types.get(b))));
                }
            }
            projections.add(call(Operator.NEGATE, types.get(a), new InputRef(a, types.get(a))));
            projections.add(call(Operator.MULTIPLY, resultType(types.get(a), Type.BIGINT), new InputRef(a, types.get(a)), lit(3L, Type.BIGINT)));
            projections.add(call(Operator.ADD, Type.DOUBLE, new InputRef(a, types.get(a)), lit(0.25, Type.DOUBLE)));
        }
        // nested
        projections.add(call(Operator.ADD, Type.BIGINT,
                call(Operator.MULTIPLY, Type.BIGINT, new InputRef(3, Type.BIGINT), new InputRef(2, Type.INTEGER)),
                call(Operator.NEGATE, Type.BIGINT, new InputRef(0, Type.TINYINT))));

        Selection selection = new Selection();
        int[] positions = selection.ensureCapacity(rows);
        int count = 0;
        for (int r = 0; r < rows; r += 3) {
            positions[count++] = r;
        }
        selection.set(count, false);
        List<List<Object>> actual = project(types, columns, selection, projections.toArray(Expression[]::new));
        for (int i = 0; i < count; i++) {
            List<Object> row = TestBatches.row(columns, positions[i]);
            for (int p = 0; p < projections.size(); p++) {
                assertThat(actual.get(i).get(p)).as("%s on %s", projections.get(p), row).isEqualTo(Reference.eval(projections.get(p), row));
            }
        }
    }

    private static Type resultType(Type a, Type b)
    {
        if (a.equals(Type.DOUBLE) || b.equals(Type.DOUBLE)) {
            return Type.DOUBLE;
        }
        if (a.equals(Type.REAL) || b.equals(Type.REAL)) {
            return Type.REAL;
        }
        if (a.equals(Type.BIGINT) || b.equals(Type.BIGINT)) {
            return Type.BIGINT;
        }
        return Type.INTEGER;
    }

    @Test
    void integerDivisionAndModulus()
    {
        List<Type> types = List.of(Type.BIGINT, Type.BIGINT);
        Object[][] columns = {{7L, -7L, 7L, null, 5L, Long.MIN_VALUE}, {2L, 2L, -2L, 0L, null, 3L}};
        Expression divide = call(Operator.DIVIDE, Type.BIGINT, new InputRef(0, Type.BIGINT), new InputRef(1, Type.BIGINT));
        Expression modulus = call(Operator.MODULUS, Type.BIGINT, new InputRef(0, Type.BIGINT), new InputRef(1, Type.BIGINT));
        List<List<Object>> rows = project(types, columns, new Selection().selectAll(6), divide, modulus);
        assertThat(rows).containsExactly(
                Arrays.asList(3L, 1L),
                Arrays.asList(-3L, -1L),
                Arrays.asList(-3L, 1L),
                Arrays.asList(null, null),
                Arrays.asList(null, null),
                Arrays.asList(Long.MIN_VALUE / 3, Long.MIN_VALUE % 3));
    }

    @Test
    void divisionByZeroFails()
    {
        Expression divide = call(Operator.DIVIDE, Type.INTEGER, new InputRef(0, Type.INTEGER), lit(0L, Type.INTEGER));
        assertThatThrownBy(() -> projectColumn(Type.INTEGER, new Object[] {1L, null}, divide))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.DIVISION_BY_ZERO));
        Expression modulus = call(Operator.MODULUS, Type.BIGINT, lit(1L, Type.BIGINT), new InputRef(0, Type.BIGINT));
        assertThatThrownBy(() -> projectColumn(Type.BIGINT, new Object[] {1L, 0L}, modulus))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.DIVISION_BY_ZERO));
        // a zero divisor on a filtered-out row or a NULL dividend is not an error
        assertThat(projectColumn(Type.BIGINT, new Object[] {null}, call(Operator.DIVIDE, Type.BIGINT, new InputRef(0, Type.BIGINT), lit(0L, Type.BIGINT))))
                .containsExactly((Object) null);
        assertThat(projectColumn(Type.DOUBLE, new Object[] {1.0, -1.0, 0.0}, call(Operator.DIVIDE, Type.DOUBLE, new InputRef(0, Type.DOUBLE), lit(0.0, Type.DOUBLE))))
                .containsExactly(Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN);
    }

    @Test
    void integerOverflowFails()
    {
        assertThatThrownBy(() -> projectColumn(Type.INTEGER, new Object[] {(long) Integer.MAX_VALUE},
                call(Operator.ADD, Type.INTEGER, new InputRef(0, Type.INTEGER), lit(1L, Type.INTEGER))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE));
        assertThatThrownBy(() -> projectColumn(Type.BIGINT, new Object[] {Long.MAX_VALUE},
                call(Operator.MULTIPLY, Type.BIGINT, new InputRef(0, Type.BIGINT), lit(2L, Type.BIGINT))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE));
        assertThatThrownBy(() -> projectColumn(Type.BIGINT, new Object[] {Long.MIN_VALUE},
                call(Operator.SUBTRACT, Type.BIGINT, new InputRef(0, Type.BIGINT), lit(1L, Type.BIGINT))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE));
        assertThatThrownBy(() -> projectColumn(Type.TINYINT, new Object[] {-128L},
                call(Operator.NEGATE, Type.TINYINT, new InputRef(0, Type.TINYINT))))
                .isInstanceOf(GlauxException.class);
        // NULL rows never overflow
        assertThat(projectColumn(Type.BIGINT, new Object[] {null, 1L},
                call(Operator.ADD, Type.BIGINT, new InputRef(0, Type.BIGINT), lit(Long.MAX_VALUE - 1, Type.BIGINT))))
                .containsExactly(null, Long.MAX_VALUE);
    }

    @Test
    void numericCasts()
    {
        Object[] doubles = {1.4, 1.5, -1.5, 2.5, -0.4, null, 1e10};
        assertThat(projectColumn(Type.DOUBLE, doubles, call(Operator.CAST, Type.BIGINT, new InputRef(0, Type.DOUBLE))))
                .containsExactly(1L, 2L, -2L, 3L, 0L, null, 10_000_000_000L);
        assertThatThrownBy(() -> projectColumn(Type.DOUBLE, doubles, call(Operator.CAST, Type.INTEGER, new InputRef(0, Type.DOUBLE))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CAST_ARGUMENT));
        assertThatThrownBy(() -> projectColumn(Type.DOUBLE, new Object[] {Double.NaN}, call(Operator.CAST, Type.BIGINT, new InputRef(0, Type.DOUBLE))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CAST_ARGUMENT));
        assertThat(projectColumn(Type.BIGINT, new Object[] {1L, null, 300L}, call(Operator.CAST, Type.DOUBLE, new InputRef(0, Type.BIGINT))))
                .containsExactly(1.0, null, 300.0);
        assertThat(projectColumn(Type.BIGINT, new Object[] {1L, null, 16_777_217L}, call(Operator.CAST, Type.REAL, new InputRef(0, Type.BIGINT))))
                .containsExactly(1.0, null, 16_777_216.0);
        assertThat(projectColumn(Type.INTEGER, new Object[] {1L, null, -5L}, call(Operator.CAST, Type.BIGINT, new InputRef(0, Type.INTEGER))))
                .containsExactly(1L, null, -5L);
        assertThat(projectColumn(Type.BIGINT, new Object[] {1L, null, -128L}, call(Operator.CAST, Type.TINYINT, new InputRef(0, Type.BIGINT))))
                .containsExactly(1L, null, -128L);
        assertThatThrownBy(() -> projectColumn(Type.BIGINT, new Object[] {128L}, call(Operator.CAST, Type.TINYINT, new InputRef(0, Type.BIGINT))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CAST_ARGUMENT));
        assertThat(projectColumn(Type.DOUBLE, new Object[] {0.1, null}, call(Operator.CAST, Type.REAL, new InputRef(0, Type.DOUBLE))))
                .containsExactly((double) 0.1f, null);
        assertThat(projectColumn(Type.BIGINT, new Object[] {0L, 7L, null}, call(Operator.CAST, Type.BOOLEAN, new InputRef(0, Type.BIGINT))))
                .containsExactly(false, true, null);
        assertThat(projectColumn(Type.BOOLEAN, new Object[] {true, false, null}, call(Operator.CAST, Type.INTEGER, new InputRef(0, Type.BOOLEAN))))
                .containsExactly(1L, 0L, null);
    }

    @Test
    void castsToVarchar()
    {
        assertThat(projectColumn(Type.BIGINT, new Object[] {0L, -12L, null, Long.MIN_VALUE, Long.MAX_VALUE}, call(Operator.CAST, Type.VARCHAR, new InputRef(0, Type.BIGINT))))
                .containsExactly("0", "-12", null, "-9223372036854775808", "9223372036854775807");
        assertThat(projectColumn(Type.DOUBLE, new Object[] {1.5, null, Double.NaN}, call(Operator.CAST, Type.VARCHAR, new InputRef(0, Type.DOUBLE))))
                .containsExactly("1.5", null, "NaN");
        assertThat(projectColumn(Type.BOOLEAN, new Object[] {true, null, false}, call(Operator.CAST, Type.VARCHAR, new InputRef(0, Type.BOOLEAN))))
                .containsExactly("true", null, "false");
        assertThat(projectColumn(Type.DATE, new Object[] {0L, 19_723L, -1L, null}, call(Operator.CAST, Type.VARCHAR, new InputRef(0, Type.DATE))))
                .containsExactly("1970-01-01", "2024-01-01", "1969-12-31", null);
        assertThat(projectColumn(Type.TIMESTAMP, new Object[] {1_704_067_200_123_456L, -1L, null}, call(Operator.CAST, Type.VARCHAR, new InputRef(0, Type.TIMESTAMP))))
                .containsExactly("2024-01-01 00:00:00.123", "1969-12-31 23:59:59.999", null);
        assertThat(projectColumn(Type.VARCHAR, new Object[] {"héllo😀x", "ab", null}, call(Operator.CAST, new Type.Varchar(3), new InputRef(0, Type.VARCHAR))))
                .containsExactly("hél", "ab", null);
        assertThatThrownBy(() -> projectColumn(Type.BIGINT, new Object[] {12345L}, call(Operator.CAST, new Type.Varchar(3), new InputRef(0, Type.BIGINT))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CAST_ARGUMENT));
    }

    @Test
    void castsFromVarchar()
    {
        assertThat(projectColumn(Type.VARCHAR, new Object[] {"12", " -7 ", "+3", null, "-9223372036854775808"}, call(Operator.CAST, Type.BIGINT, new InputRef(0, Type.VARCHAR))))
                .containsExactly(12L, -7L, 3L, null, Long.MIN_VALUE);
        for (String bad : new String[] {"", "1x", "9223372036854775808", "-", "1.5"}) {
            assertThatThrownBy(() -> projectColumn(Type.VARCHAR, new Object[] {bad}, call(Operator.CAST, Type.BIGINT, new InputRef(0, Type.VARCHAR))))
                    .as(bad)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CAST_ARGUMENT));
        }
        assertThatThrownBy(() -> projectColumn(Type.VARCHAR, new Object[] {"300"}, call(Operator.CAST, Type.TINYINT, new InputRef(0, Type.VARCHAR))))
                .isInstanceOf(GlauxException.class);
        assertThat(projectColumn(Type.VARCHAR, new Object[] {"1.5", "-2e3", null, " 7 "}, call(Operator.CAST, Type.DOUBLE, new InputRef(0, Type.VARCHAR))))
                .containsExactly(1.5, -2000.0, null, 7.0);
        assertThat(projectColumn(Type.VARCHAR, new Object[] {"true", "FALSE", "t", "0", null}, call(Operator.CAST, Type.BOOLEAN, new InputRef(0, Type.VARCHAR))))
                .containsExactly(true, false, true, false, null);
        assertThat(projectColumn(Type.VARCHAR, new Object[] {"2024-01-01", "1970-01-01", "1969-12-31", " 2000-2-29", null}, call(Operator.CAST, Type.DATE, new InputRef(0, Type.VARCHAR))))
                .containsExactly(19_723L, 0L, -1L, 11_016L, null);
        for (String bad : new String[] {"2023-02-29", "2024-13-01", "2024-01-01x", "24-01-01", "", "2024/01/01"}) {
            assertThatThrownBy(() -> projectColumn(Type.VARCHAR, new Object[] {bad}, call(Operator.CAST, Type.DATE, new InputRef(0, Type.VARCHAR))))
                    .as(bad)
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CAST_ARGUMENT));
        }
        assertThat(projectColumn(Type.VARCHAR,
                new Object[] {"2024-01-01 00:00:00.123456", "2024-01-01T01:02:03", "2024-01-01", "1969-12-31 23:59:59.9996", "2024-01-01 1:02", null},
                call(Operator.CAST, new Type.Timestamp(6), new InputRef(0, Type.VARCHAR))))
                .containsExactly(1_704_067_200_123_456L, 1_704_070_923_000_000L, 1_704_067_200_000_000L, -400L, 1_704_070_920_000_000L, null);
        assertThat(projectColumn(Type.VARCHAR, new Object[] {"2024-01-01 00:00:00.1235"}, call(Operator.CAST, Type.TIMESTAMP, new InputRef(0, Type.VARCHAR))))
                .containsExactly(1_704_067_200_124_000L);
        assertThatThrownBy(() -> projectColumn(Type.VARCHAR, new Object[] {"2024-01-01 25:00:00"}, call(Operator.CAST, Type.TIMESTAMP, new InputRef(0, Type.VARCHAR))))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_CAST_ARGUMENT));
        // round trip through varchar
        Expression roundTrip = call(Operator.CAST, Type.DATE, call(Operator.CAST, Type.VARCHAR, new InputRef(0, Type.DATE)));
        Object[] days = {-800_000L, -1L, 0L, 59L, 60L, 11_016L, 2_932_896L};
        assertThat(projectColumn(Type.DATE, days, roundTrip)).containsExactly(days);
    }

    @Test
    void dateAndTimestampCasts()
    {
        assertThat(projectColumn(Type.DATE, new Object[] {1L, -1L, null}, call(Operator.CAST, new Type.Timestamp(6), new InputRef(0, Type.DATE))))
                .containsExactly(86_400_000_000L, -86_400_000_000L, null);
        assertThat(projectColumn(new Type.Timestamp(6), new Object[] {86_400_000_001L, -1L}, call(Operator.CAST, Type.DATE, new InputRef(0, new Type.Timestamp(6)))))
                .containsExactly(1L, -1L);
        assertThat(projectColumn(new Type.Timestamp(6), new Object[] {1_500L, 1_499L}, call(Operator.CAST, Type.TIMESTAMP, new InputRef(0, new Type.Timestamp(6)))))
                .containsExactly(2_000L, 1_000L);
    }

    @Test
    void literalsAndBooleanOutputs()
    {
        Expression compare = new Call(Operator.GREATER_THAN, List.of(new InputRef(0, Type.BIGINT), lit(1L, Type.BIGINT)), Type.BOOLEAN);
        List<List<Object>> rows = project(List.of(Type.BIGINT), new Object[][] {{0L, 2L, null}}, new Selection().selectAll(3),
                lit(5L, Type.INTEGER), lit("x", Type.VARCHAR), lit(null, Type.DOUBLE), lit(true, Type.BOOLEAN), compare,
                new Call(Operator.IS_NULL, List.of(new InputRef(0, Type.BIGINT)), Type.BOOLEAN), lit(null, new Type.Decimal(10, 2)));
        assertThat(rows).containsExactly(
                Arrays.asList(5L, "x", null, true, false, false, null),
                Arrays.asList(5L, "x", null, true, true, false, null),
                Arrays.asList(5L, "x", null, true, null, true, null));
    }

    @Test
    void copiesSelectedRowsOfEveryType()
    {
        List<Type> types = List.of(Type.BOOLEAN, Type.TINYINT, Type.SMALLINT, Type.INTEGER, Type.BIGINT, Type.REAL, Type.DOUBLE, Type.DATE, Type.TIMESTAMP, Type.VARCHAR);
        int rows = 1000;
        Random random = new Random(11);
        Object[][] columns = new Object[types.size()][];
        for (int c = 0; c < types.size(); c++) {
            columns[c] = RandomData.column(types.get(c), rows, random, 0.2);
        }
        List<Expression> projections = new ArrayList<>();
        for (int c = types.size() - 1; c >= 0; c--) {
            projections.add(new InputRef(c, types.get(c)));
        }
        for (int step : new int[] {1, 2, 7, 1000}) {
            Selection selection = new Selection();
            int[] positions = selection.ensureCapacity(rows);
            int count = 0;
            for (int r = step == 1 ? 3 : 0; r < rows - (step == 1 ? 10 : 0); r += step) {
                positions[count++] = r;
            }
            selection.set(count, false);
            List<List<Object>> actual = project(types, columns, selection, projections.toArray(Expression[]::new));
            assertThat(actual).hasSize(count);
            for (int i = 0; i < count; i++) {
                List<Object> expected = new ArrayList<>(TestBatches.row(columns, positions[i]));
                java.util.Collections.reverse(expected);
                assertThat(actual.get(i)).isEqualTo(expected);
            }
        }
    }

    @Test
    void transfersBuffersWhenAllRowsAreSelected()
    {
        List<Type> types = List.of(Type.BIGINT, Type.VARCHAR);
        Object[][] columns = {{1L, null, 3L}, {"a", "b", null}};
        try (VectorSchemaRoot batch = TestBatches.batch(allocator, types, columns)) {
            Projector projector = Projector.compile(List.of(new InputRef(1, Type.VARCHAR), new InputRef(0, Type.BIGINT), new InputRef(0, Type.BIGINT)), types);
            long before = allocator.getAllocatedMemory();
            try (VectorSchemaRoot out = projector.project(batch, new Selection().selectAll(3), allocator)) {
                assertThat(TestBatches.rows(out)).containsExactly(Arrays.asList("a", 1L, 1L), Arrays.asList("b", null, null), Arrays.asList(null, 3L, 3L));
                // the varchar column and the last use of the bigint column were moved, one bigint copy was made
                assertThat(batch.getVector(1).getValueCount()).isZero();
                assertThat(batch.getVector(0).getValueCount()).isZero();
                assertThat(allocator.getAllocatedMemory()).isGreaterThan(before);
            }
        }
    }

    @Test
    void copiesAndTransfersTypesItCannotComputeOn()
    {
        Type decimal = new Type.Decimal(10, 2);
        org.apache.arrow.vector.DecimalVector vector = (org.apache.arrow.vector.DecimalVector) io.glaux.connectors.arrow.ArrowTypes.toArrowField("d", decimal).createVector(allocator);
        vector.allocateNew(4);
        vector.setSafe(0, new java.math.BigDecimal("1.25"));
        vector.setNull(1);
        vector.setSafe(2, new java.math.BigDecimal("-3.50"));
        vector.setSafe(3, new java.math.BigDecimal("7.00"));
        vector.setValueCount(4);
        try (VectorSchemaRoot batch = new VectorSchemaRoot(List.<org.apache.arrow.vector.FieldVector>of(vector))) {
            batch.setRowCount(4);
            Projector projector = Projector.compile(List.of(new InputRef(0, decimal)), List.of(decimal));
            Selection sparse = new Selection();
            sparse.ensureCapacity(4);
            sparse.positions()[0] = 1;
            sparse.positions()[1] = 2;
            sparse.set(2, false);
            try (VectorSchemaRoot out = projector.project(batch, sparse, allocator)) {
                org.apache.arrow.vector.DecimalVector copy = (org.apache.arrow.vector.DecimalVector) out.getVector(0);
                assertThat(copy.isNull(0)).isTrue();
                assertThat(copy.getObject(1)).isEqualTo(new java.math.BigDecimal("-3.50"));
            }
            try (VectorSchemaRoot out = projector.project(batch, new Selection().selectAll(4), allocator)) {
                assertThat(((org.apache.arrow.vector.DecimalVector) out.getVector(0)).getObject(3)).isEqualTo(new java.math.BigDecimal("7.00"));
                assertThat(vector.getValueCount()).isZero();
            }
        }
        // decimals are computed on too (FunctionsTest covers their arithmetic)
        assertThat(Projector.compile(List.of(call(Operator.ADD, decimal, new InputRef(0, decimal), new InputRef(0, decimal))), List.of(decimal)).outputTypes())
                .containsExactly(decimal);
    }
}
