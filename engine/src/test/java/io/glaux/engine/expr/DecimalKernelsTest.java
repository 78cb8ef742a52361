package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.engine.TestBatches;
import io.glaux.engine.expr.Expression.Call;
import io.glaux.engine.expr.Expression.FunctionCall;
import io.glaux.engine.expr.Expression.InputRef;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.engine.expr.Expression.Operator;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The decimal kernels against BigDecimal: a decimal column compared with a constant (a range test on the
 * unscaled values), +, - and * in their one-loop form (with NULLs, and rows that overflow a long or the
 * result's precision), and constant folding of calls of literals.
 */
class DecimalKernelsTest
{
    private static final Type.Decimal PRICE = new Type.Decimal(12, 2);
    private static final Type.Decimal RATE = new Type.Decimal(12, 2);
    private static final int ROWS = 1031;
    private static final Operator[] COMPARISONS = {
            Operator.EQUAL, Operator.NOT_EQUAL, Operator.LESS_THAN, Operator.LESS_THAN_OR_EQUAL, Operator.GREATER_THAN, Operator.GREATER_THAN_OR_EQUAL};

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

    private static Object[] decimals(Random random, int scale, long bound, double nullFraction)
    {
        Object[] values = new Object[ROWS];
        for (int i = 0; i < ROWS; i++) {
            values[i] = random.nextDouble() < nullFraction ? null : BigDecimal.valueOf(random.nextLong(-bound, bound + 1), scale);
        }
        return values;
    }

    // ------------------------------------------------------------------ comparisons with a constant

    @Test
    void decimalColumnComparedWithConstants()
    {
        Random random = new Random(7);
        Object[] column = decimals(random, 2, 1000, 0.1);
        // a few values on the constants below
        column[0] = new BigDecimal("0.05");
        column[1] = new BigDecimal("0.07");
        column[2] = new BigDecimal("-3.00");
        column[3] = new BigDecimal("9999999999.99");
        column[4] = new BigDecimal("-9999999999.99");
        List<Literal> constants = List.of(
                new Literal(new BigDecimal("0.05"), new Type.Decimal(3, 2)),
                new Literal(new BigDecimal("0.07"), new Type.Decimal(3, 2)),
                new Literal(new BigDecimal("0.055"), new Type.Decimal(4, 3)),
                new Literal(new BigDecimal("-0.055"), new Type.Decimal(4, 3)),
                new Literal(new BigDecimal("-3"), new Type.Decimal(1, 0)),
                new Literal(-3L, Type.INTEGER),
                new Literal(24L, Type.BIGINT),
                new Literal(new BigDecimal("9999999999.99"), PRICE),
                new Literal(new BigDecimal("12345678901234567890.5"), new Type.Decimal(38, 1)),
                new Literal(new BigDecimal("-12345678901234567890.5"), new Type.Decimal(38, 1)));
        try (VectorSchemaRoot batch = TestBatches.batch(allocator, List.of(PRICE), column)) {
            for (Literal constant : constants) {
                BigDecimal c = constant.value() instanceof BigDecimal d ? d : BigDecimal.valueOf((Long) constant.value());
                for (Operator operator : COMPARISONS) {
                    for (boolean columnFirst : new boolean[] {true, false}) {
                        Expression left = columnFirst ? new InputRef(0, PRICE) : constant;
                        Expression right = columnFirst ? constant : new InputRef(0, PRICE);
                        Call condition = new Call(operator, List.of(left, right), Type.BOOLEAN);
                        List<Integer> expected = new ArrayList<>();
                        List<Integer> expectedNot = new ArrayList<>();
                        for (int row = 0; row < ROWS; row++) {
                            if (column[row] != null) {
                                int cmp = columnFirst ? ((BigDecimal) column[row]).compareTo(c) : c.compareTo((BigDecimal) column[row]);
                                (holds(operator, cmp) ? expected : expectedNot).add(row);
                            }
                        }
                        String what = condition.toString();
                        assertThat(select(batch, condition)).as(what).containsExactlyElementsOf(expected);
                        assertThat(select(batch, new Call(Operator.NOT, List.of(condition), Type.BOOLEAN))).as("NOT " + what).containsExactlyElementsOf(expectedNot);
                    }
                }
            }
        }
    }

    private static boolean holds(Operator operator, int cmp)
    {
        return switch (operator) {
            case EQUAL -> cmp == 0;
            case NOT_EQUAL -> cmp != 0;
            case LESS_THAN -> cmp < 0;
            case LESS_THAN_OR_EQUAL -> cmp <= 0;
            case GREATER_THAN -> cmp > 0;
            case GREATER_THAN_OR_EQUAL -> cmp >= 0;
            default -> throw new IllegalArgumentException(operator.name());
        };
    }

    private static List<Integer> select(VectorSchemaRoot batch, Expression condition)
    {
        Selection selection = FilterEvaluator.compile(condition, List.of(PRICE)).filter(batch);
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < selection.count(); i++) {
            rows.add(selection.positions()[i]);
        }
        return rows;
    }

    // ------------------------------------------------------------------ arithmetic

    @Test
    void arithmeticMatchesBigDecimalWithAndWithoutNulls()
    {
        Random random = new Random(11);
        for (double nullFraction : new double[] {0, 0.2}) {
            Object[] price = decimals(random, 2, 10_000_000_00L, nullFraction);
            Object[] rate = decimals(random, 2, 100, nullFraction);
            try (VectorSchemaRoot batch = TestBatches.batch(allocator, List.of(PRICE, RATE), price, rate)) {
                InputRef p = new InputRef(0, PRICE);
                InputRef r = new InputRef(1, RATE);
                Literal one = new Literal(1L, Type.INTEGER);
                // price * (1 - rate) * (1 + rate), as TPC-H q1 computes it, and the parts
                Call oneMinus = new Call(Operator.SUBTRACT, List.of(one, r), new Type.Decimal(13, 2));
                Call onePlus = new Call(Operator.ADD, List.of(one, r), new Type.Decimal(13, 2));
                Call discounted = new Call(Operator.MULTIPLY, List.of(p, oneMinus), new Type.Decimal(25, 4));
                Call charge = new Call(Operator.MULTIPLY, List.of(discounted, onePlus), new Type.Decimal(38, 6));
                Call sum = new Call(Operator.ADD, List.of(p, new Call(Operator.MULTIPLY, List.of(p, r), new Type.Decimal(24, 4))), new Type.Decimal(25, 4));
                Call difference = new Call(Operator.SUBTRACT, List.of(r, p), new Type.Decimal(13, 2));
                List<Expression> projections = List.of(oneMinus, onePlus, discounted, charge, sum, difference);
                try (VectorSchemaRoot out = Projector.compile(projections, List.of(PRICE, RATE)).project(batch, new Selection().selectAll(ROWS), allocator)) {
                    for (int row = 0; row < ROWS; row++) {
                        BigDecimal x = (BigDecimal) price[row];
                        BigDecimal y = (BigDecimal) rate[row];
                        BigDecimal[] expected = {
                                y == null ? null : BigDecimal.ONE.subtract(y),
                                y == null ? null : BigDecimal.ONE.add(y),
                                x == null || y == null ? null : x.multiply(BigDecimal.ONE.subtract(y)),
                                x == null || y == null ? null : x.multiply(BigDecimal.ONE.subtract(y)).multiply(BigDecimal.ONE.add(y)),
                                x == null || y == null ? null : x.add(x.multiply(y)),
                                x == null || y == null ? null : y.subtract(x)};
                        for (int c = 0; c < projections.size(); c++) {
                            DecimalVector vector = (DecimalVector) out.getVector(c);
                            if (expected[c] == null) {
                                assertThat(vector.isNull(row)).as("row %d column %d", row, c).isTrue();
                            }
                            else {
                                assertThat(vector.getObject(row)).as("row %d column %d", row, c).isEqualByComparingTo(expected[c]);
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void arithmeticBeyondTheResultPrecisionFails()
    {
        Type.Decimal small = new Type.Decimal(4, 2);
        Object[] values = {new BigDecimal("10.00"), new BigDecimal("99.99"), null};
        try (VectorSchemaRoot batch = TestBatches.batch(allocator, List.of(small, small), values, values)) {
            // 99.99 + 99.99 does not fit decimal(4, 2)
            Call add = new Call(Operator.ADD, List.of(new InputRef(0, small), new InputRef(1, small)), small);
            assertThatThrownBy(() -> project(batch, add, List.of(small, small)))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE));
            Call multiply = new Call(Operator.MULTIPLY, List.of(new InputRef(0, small), new InputRef(1, small)), new Type.Decimal(6, 4));
            assertThatThrownBy(() -> project(batch, multiply, List.of(small, small)))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NUMERIC_VALUE_OUT_OF_RANGE));
            // the rows that fit are right
            Call wide = new Call(Operator.MULTIPLY, List.of(new InputRef(0, small), new InputRef(1, small)), new Type.Decimal(8, 4));
            try (VectorSchemaRoot out = project(batch, wide, List.of(small, small))) {
                DecimalVector vector = (DecimalVector) out.getVector(0);
                assertThat(vector.getObject(0)).isEqualByComparingTo("100.0000");
                assertThat(vector.getObject(1)).isEqualByComparingTo("9998.0001");
                assertThat(vector.isNull(2)).isTrue();
            }
        }
    }

    @Test
    void arithmeticOverflowingALongIsExactOrFails()
    {
        Type.Decimal big = new Type.Decimal(18, 0);
        Object[] values = {new BigDecimal("999999999999999999"), new BigDecimal("2"), new BigDecimal("-999999999999999999")};
        Object[] ones = {new BigDecimal("1"), new BigDecimal("3"), new BigDecimal("-1")};
        try (VectorSchemaRoot batch = TestBatches.batch(allocator, List.of(big, big), values, ones)) {
            // the sum fits decimal(19, 0) and a long, the product of two 18-digit values does not fit a long
            Call add = new Call(Operator.ADD, List.of(new InputRef(0, big), new InputRef(1, big)), new Type.Decimal(19, 0));
            try (VectorSchemaRoot out = project(batch, add, List.of(big, big))) {
                DecimalVector vector = (DecimalVector) out.getVector(0);
                assertThat(vector.getObject(0)).isEqualByComparingTo("1000000000000000000");
                assertThat(vector.getObject(1)).isEqualByComparingTo("5");
                assertThat(vector.getObject(2)).isEqualByComparingTo("-1000000000000000000");
            }
            Call square = new Call(Operator.MULTIPLY, List.of(new InputRef(0, big), new InputRef(0, big)), new Type.Decimal(36, 0));
            assertThatThrownBy(() -> project(batch, square, List.of(big, big)))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED));
        }
    }

    private VectorSchemaRoot project(VectorSchemaRoot batch, Expression expression, List<Type> types)
    {
        return Projector.compile(List.of(expression), types).project(batch, new Selection().selectAll(batch.getRowCount()), allocator);
    }

    // ------------------------------------------------------------------ constant folding

    @Test
    void callsOfLiteralsFoldToLiterals()
    {
        Literal one = new Literal(1L, Type.INTEGER);
        Literal discount = new Literal(new BigDecimal("0.06"), new Type.Decimal(2, 2));
        Literal delta = new Literal(new BigDecimal("0.01"), new Type.Decimal(2, 2));
        assertThat(ConstantFolding.fold(new Call(Operator.ADD, List.of(one, one), Type.INTEGER))).isEqualTo(new Literal(2L, Type.INTEGER));
        assertThat(ConstantFolding.fold(new Call(Operator.SUBTRACT, List.of(discount, delta), new Type.Decimal(3, 2))))
                .isEqualTo(new Literal(new BigDecimal("0.05"), new Type.Decimal(3, 2)));
        long day = LocalDate.parse("1998-09-02").toEpochDay();
        assertThat(ConstantFolding.fold(new Call(Operator.CAST, List.of(new Literal("1998-09-02", Type.VARCHAR)), Type.DATE)))
                .isEqualTo(new Literal(day, Type.DATE));
        assertThat(ConstantFolding.fold(new FunctionCall("upper", List.of(new Literal("ab", Type.VARCHAR)), Type.VARCHAR)))
                .isEqualTo(new Literal("AB", Type.VARCHAR));
        assertThat(ConstantFolding.fold(new Call(Operator.LESS_THAN, List.of(one, new Literal(2L, Type.INTEGER)), Type.BOOLEAN)))
                .isEqualTo(new Literal(true, Type.BOOLEAN));
        assertThat(ConstantFolding.fold(new Call(Operator.ADD, List.of(one, new Literal(null, Type.INTEGER)), Type.INTEGER)))
                .isEqualTo(new Literal(null, Type.INTEGER));
        // folded inside a call on a column
        InputRef column = new InputRef(0, Type.INTEGER);
        assertThat(ConstantFolding.fold(new Call(Operator.ADD, List.of(column, new Call(Operator.ADD, List.of(one, one), Type.INTEGER)), Type.INTEGER)))
                .isEqualTo(new Call(Operator.ADD, List.of(column, new Literal(2L, Type.INTEGER)), Type.INTEGER));
    }

    @Test
    void callsThatFailOrVaryAreNotFolded()
    {
        Literal one = new Literal(1L, Type.BIGINT);
        Call division = new Call(Operator.DIVIDE, List.of(one, new Literal(0L, Type.BIGINT)), Type.BIGINT);
        assertThat(ConstantFolding.fold(division)).isSameAs(division);
        Expression random = new FunctionCall("random", List.of(new Literal(10L, Type.BIGINT)), Type.BIGINT);
        assertThat(ConstantFolding.fold(random)).isSameAs(random);
        // the failure stays where it was: raised for rows that evaluate it, not at compile time
        InputRef column = new InputRef(0, Type.BIGINT);
        Expression guarded = new Expression.SpecialForm(Expression.Form.IF, List.of(
                new Call(Operator.GREATER_THAN, List.of(column, one), Type.BOOLEAN), division, one), Type.BIGINT);
        try (VectorSchemaRoot batch = TestBatches.batch(allocator, List.of(Type.BIGINT), new Object[] {0L, 1L})) {
            try (VectorSchemaRoot out = project(batch, guarded, List.of(Type.BIGINT))) {
                assertThat(out.getVector(0).getObject(0)).isEqualTo(1L);
                assertThat(out.getVector(0).getObject(1)).isEqualTo(1L);
            }
        }
        try (VectorSchemaRoot batch = TestBatches.batch(allocator, List.of(Type.BIGINT), new Object[] {5L})) {
            assertThatThrownBy(() -> project(batch, guarded, List.of(Type.BIGINT)))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.DIVISION_BY_ZERO));
        }
    }
}
