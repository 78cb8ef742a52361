package io.glaux.engine.expr;

import static io.glaux.engine.expr.Expression.Operator.AND;
import static io.glaux.engine.expr.Expression.Operator.EQUAL;
import static io.glaux.engine.expr.Expression.Operator.GREATER_THAN;
import static io.glaux.engine.expr.Expression.Operator.IN;
import static io.glaux.engine.expr.Expression.Operator.IS_NOT_NULL;
import static io.glaux.engine.expr.Expression.Operator.IS_NULL;
import static io.glaux.engine.expr.Expression.Operator.LESS_THAN;
import static io.glaux.engine.expr.Expression.Operator.LIKE;
import static io.glaux.engine.expr.Expression.Operator.NOT;
import static io.glaux.engine.expr.Expression.Operator.OR;
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

class FilterEvaluatorTest
{
    static final List<Type> TYPES = List.of(
            Type.TINYINT, Type.SMALLINT, Type.INTEGER, Type.BIGINT, Type.REAL, Type.DOUBLE, Type.DATE, Type.TIMESTAMP,
            Type.VARCHAR, Type.BOOLEAN,
            Type.BIGINT, Type.DOUBLE, Type.VARCHAR, Type.INTEGER);
    static final int ROWS = 517;
    static final Operator[] COMPARISONS = {
            Operator.EQUAL, Operator.NOT_EQUAL, Operator.LESS_THAN, Operator.LESS_THAN_OR_EQUAL, Operator.GREATER_THAN, Operator.GREATER_THAN_OR_EQUAL};

    private BufferAllocator allocator;
    private Object[][] columns;
    private VectorSchemaRoot batch;

    @BeforeEach
    void setUp()
    {
        allocator = new RootAllocator();
        Random random = new Random(42);
        columns = new Object[TYPES.size()][];
        for (int c = 0; c < TYPES.size(); c++) {
            columns[c] = RandomData.column(TYPES.get(c), ROWS, random, 0.15);
        }
        batch = TestBatches.batch(allocator, TYPES, columns);
    }

    @AfterEach
    void tearDown()
    {
        batch.close();
        allocator.close();
    }

    static InputRef col(int index)
    {
        return new InputRef(index, TYPES.get(index));
    }

    static Literal lit(Object value, Type type)
    {
        return new Literal(value, type);
    }

    static Call call(Operator operator, Type type, Expression... args)
    {
        return new Call(operator, List.of(args), type);
    }

    static Call bool(Operator operator, Expression... args)
    {
        return call(operator, Type.BOOLEAN, args);
    }

    private List<Integer> expected(Expression filter, boolean value)
    {
        List<Integer> rows = new ArrayList<>();
        for (int r = 0; r < ROWS; r++) {
            if (Boolean.valueOf(value).equals(Reference.eval(filter, TestBatches.row(columns, r)))) {
                rows.add(r);
            }
        }
        return rows;
    }

    private List<Integer> actual(Expression filter)
    {
        FilterEvaluator evaluator = FilterEvaluator.compile(filter, TYPES);
        Selection selection = evaluator.filter(batch);
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < selection.count(); i++) {
            rows.add(selection.positions()[i]);
        }
        assertThat(selection.isAll()).isEqualTo(selection.count() == ROWS);
        return rows;
    }

    /** Checks TRUE rows of the filter and of its negation, and the full three-valued result as a projection. */
    private void check(Expression filter)
    {
        assertThat(actual(filter)).as("%s", filter).isEqualTo(expected(filter, true));
        assertThat(actual(bool(NOT, filter))).as("NOT %s", filter).isEqualTo(expected(filter, false));
        if (filter instanceof InputRef) {
            // projecting a bare column of an all-rows selection transfers its buffers out of the batch
            return;
        }
        Projector projector = Projector.compile(List.of(filter), TYPES);
        Selection all = new Selection().selectAll(ROWS);
        try (VectorSchemaRoot projected = projector.project(batch, all, allocator)) {
            List<Object> values = TestBatches.column(projected, 0);
            for (int r = 0; r < ROWS; r++) {
                assertThat(values.get(r)).as("%s at row %s", filter, r).isEqualTo(Reference.eval(filter, TestBatches.row(columns, r)));
            }
        }
    }

    private List<Literal> literalsFor(Type type)
    {
        List<Literal> literals = new ArrayList<>();
        if (SqlTypes.isIntegral(type)) {
            for (long v : new long[] {0, -1, 3, -5, 127, -128, Long.MIN_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE, 40000}) {
                literals.add(lit(v, Type.BIGINT));
            }
            literals.add(lit(5L, Type.INTEGER));
            for (double v : new double[] {2.5, -0.5, 3.0, -4.0, Double.NaN, 1e30, -1e30, 9.3e18, -9.3e18}) {
                literals.add(lit(v, Type.DOUBLE));
            }
        }
        else if (SqlTypes.isFloating(type)) {
            for (double v : new double[] {0.0, -0.0, 1.5, -2.5, 3.0, Double.NaN, Double.POSITIVE_INFINITY, 1e300}) {
                literals.add(lit(v, Type.DOUBLE));
            }
            literals.add(lit(2L, Type.BIGINT));
            literals.add(lit(-3L, Type.INTEGER));
            literals.add(lit(1.5, Type.REAL));
        }
        else if (SqlTypes.isDate(type)) {
            for (long v : new long[] {0, -3, 4, 100}) {
                literals.add(lit(v, Type.DATE));
            }
        }
        else if (SqlTypes.isTimestamp(type)) {
            for (long v : new long[] {0, -3_000_000, 4_000_000, 4_000_001}) {
                literals.add(lit(v, new Type.Timestamp(6)));
            }
        }
        else if (SqlTypes.isVarchar(type)) {
            for (String v : new String[] {"", "a", "ab", "é", "😀", "b€", "zzz", "A"}) {
                literals.add(lit(v, Type.VARCHAR));
            }
        }
        else if (SqlTypes.isBoolean(type)) {
            literals.add(lit(true, Type.BOOLEAN));
            literals.add(lit(false, Type.BOOLEAN));
        }
        literals.add(lit(null, type));
        return literals;
    }

    @Test
    void columnOperatorLiteralForEveryTypeAndOperator()
    {
        for (int c = 0; c < TYPES.size(); c++) {
            for (Literal literal : literalsFor(TYPES.get(c))) {
                for (Operator operator : COMPARISONS) {
                    check(bool(operator, col(c), literal));
                    check(bool(operator, literal, col(c)));
                }
            }
        }
    }

    @Test
    void columnOperatorColumn()
    {
        int[][] pairs = {{3, 10}, {2, 3}, {0, 1}, {2, 13}, {5, 11}, {4, 5}, {2, 5}, {3, 11}, {8, 12}, {6, 6}, {7, 7}, {9, 9}, {13, 2}};
        for (int[] pair : pairs) {
            for (Operator operator : COMPARISONS) {
                check(bool(operator, col(pair[0]), col(pair[1])));
            }
        }
    }

    @Test
    void comparisonOfComputedValues()
    {
        Expression sum = call(Operator.ADD, Type.BIGINT, col(0), col(1));
        check(bool(GREATER_THAN, sum, lit(0L, Type.BIGINT)));
        check(bool(EQUAL, sum, col(13)));
        Expression product = call(Operator.MULTIPLY, Type.DOUBLE, col(5), lit(2L, Type.BIGINT));
        check(bool(LESS_THAN, product, col(11)));
        check(bool(LESS_THAN, lit(1.0, Type.DOUBLE), product));
    }

    @Test
    void logicalOperatorsFollowThreeValuedLogic()
    {
        List<Expression> atoms = new ArrayList<>();
        atoms.add(bool(GREATER_THAN, col(3), lit(0L, Type.BIGINT)));
        atoms.add(bool(LESS_THAN, col(5), lit(1.0, Type.DOUBLE)));
        atoms.add(bool(EQUAL, col(8), lit("a", Type.VARCHAR)));
        atoms.add(col(9));
        atoms.add(bool(IS_NULL, col(2)));
        atoms.add(lit(null, Type.BOOLEAN));
        atoms.add(lit(true, Type.BOOLEAN));
        atoms.add(lit(false, Type.BOOLEAN));
        atoms.add(bool(LESS_THAN, col(0), col(1)));
        Random random = new Random(7);
        for (int i = 0; i < 300; i++) {
            check(randomTree(atoms, random, 3));
        }
    }

    private static Expression randomTree(List<Expression> atoms, Random random, int depth)
    {
        if (depth == 0 || random.nextInt(4) == 0) {
            return atoms.get(random.nextInt(atoms.size()));
        }
        return switch (random.nextInt(3)) {
            case 0 -> bool(NOT, randomTree(atoms, random, depth - 1));
            case 1 -> bool(AND, randomTree(atoms, random, depth - 1), randomTree(atoms, random, depth - 1), randomTree(atoms, random, depth - 1));
            default -> bool(OR, randomTree(atoms, random, depth - 1), randomTree(atoms, random, depth - 1));
        };
    }

    @Test
    void nullTests()
    {
        for (int c = 0; c < TYPES.size(); c++) {
            check(bool(IS_NULL, col(c)));
            check(bool(IS_NOT_NULL, col(c)));
        }
        check(bool(IS_NULL, call(Operator.ADD, Type.BIGINT, col(0), col(1))));
        check(bool(IS_NOT_NULL, bool(EQUAL, col(8), col(12))));
    }

    @Test
    void inLists()
    {
        check(bool(IN, col(3), lit(0L, Type.BIGINT), lit(3L, Type.BIGINT)));
        check(bool(IN, col(2), lit(0L, Type.BIGINT), lit(3L, Type.BIGINT), lit(null, Type.BIGINT)));
        check(bool(IN, col(0), lit(1L, Type.BIGINT), lit(2L, Type.BIGINT), lit(3L, Type.BIGINT), lit(-4L, Type.BIGINT), lit(127L, Type.BIGINT), lit(2.5, Type.DOUBLE)));
        check(bool(IN, col(5), lit(0L, Type.BIGINT), lit(1.5, Type.DOUBLE), lit(Double.NaN, Type.DOUBLE), lit(-2.5, Type.DOUBLE), lit(3.0, Type.DOUBLE), lit(4.5, Type.DOUBLE)));
        check(bool(IN, col(4), lit(-0.0, Type.DOUBLE), lit(1.5, Type.DOUBLE)));
        check(bool(IN, col(8), lit("a", Type.VARCHAR), lit("ab", Type.VARCHAR)));
        check(bool(IN, col(8), lit("a", Type.VARCHAR), lit("é", Type.VARCHAR), lit("😀", Type.VARCHAR), lit("", Type.VARCHAR), lit("b", Type.VARCHAR), lit("x%", Type.VARCHAR), lit(null, Type.VARCHAR)));
        check(bool(IN, col(6), lit(1L, Type.DATE), lit(-3L, Type.DATE)));
        check(bool(IN, col(9), lit(true, Type.BOOLEAN)));
        // a non-literal item: evaluated as OR of equalities
        check(bool(IN, col(3), col(10), lit(1L, Type.BIGINT)));
        // many items
        Expression[] args = new Expression[200];
        args[0] = col(13);
        for (int i = 1; i < args.length; i++) {
            args[i] = lit((long) i * 3 - 300, Type.BIGINT);
        }
        check(bool(IN, args));
    }

    @Test
    void like()
    {
        String[] patterns = {"a", "a%", "%a", "%a%", "%", "", "_", "__", "a_", "_a%", "%é%", "%😀", "😀%", "a%b", "%a%b%", "a%b%c", "%_%", "%__", "_%_", "ab%ab", "%€_"};
        for (String pattern : patterns) {
            check(bool(LIKE, col(8), lit(pattern, Type.VARCHAR)));
        }
        check(bool(LIKE, col(8), lit("\\%%", Type.VARCHAR), lit("\\", Type.VARCHAR)));
        check(bool(LIKE, col(8), lit("%#_", Type.VARCHAR), lit("#", Type.VARCHAR)));
        check(bool(LIKE, col(8), lit("a##%", Type.VARCHAR), lit("#", Type.VARCHAR)));
        check(bool(LIKE, col(8), lit(null, Type.VARCHAR)));
        assertThatThrownBy(() -> FilterEvaluator.compile(bool(LIKE, col(8), lit("a#b", Type.VARCHAR), lit("#", Type.VARCHAR)), TYPES))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_FUNCTION_ARGUMENT));
    }

    @Test
    void refinesAGivenSelection()
    {
        FilterEvaluator evaluator = FilterEvaluator.compile(bool(GREATER_THAN, col(3), lit(0L, Type.BIGINT)), TYPES);
        int[] positions = new int[ROWS / 2 + 1];
        int count = 0;
        for (int r = 0; r < ROWS; r += 2) {
            positions[count++] = r;
        }
        int[] out = new int[count];
        int n = evaluator.filter(batch, positions, count, out);
        List<Integer> expected = new ArrayList<>();
        for (int r = 0; r < ROWS; r += 2) {
            if (columns[3][r] != null && (Long) columns[3][r] > 0) {
                expected.add(r);
            }
        }
        assertThat(Arrays.stream(out, 0, n).boxed().toList()).isEqualTo(expected);
    }

    @Test
    void rejectsUnsupportedExpressions()
    {
        assertThatThrownBy(() -> FilterEvaluator.compile(bool(EQUAL, col(8), col(3)), TYPES))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.NOT_SUPPORTED));
        assertThatThrownBy(() -> FilterEvaluator.compile(bool(EQUAL, new InputRef(99, Type.BIGINT), lit(1L, Type.BIGINT)), TYPES))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.GENERIC_INTERNAL_ERROR));
    }

    @Test
    void emptyBatch()
    {
        try (VectorSchemaRoot empty = TestBatches.batch(allocator, List.of(Type.BIGINT, Type.VARCHAR), new Object[0], new Object[0])) {
            FilterEvaluator evaluator = FilterEvaluator.compile(
                    bool(OR, bool(EQUAL, new InputRef(0, Type.BIGINT), lit(1L, Type.BIGINT)), bool(LIKE, new InputRef(1, Type.VARCHAR), lit("%a%", Type.VARCHAR))),
                    List.of(Type.BIGINT, Type.VARCHAR));
            assertThat(evaluator.filter(empty).count()).isZero();
        }
    }
}
