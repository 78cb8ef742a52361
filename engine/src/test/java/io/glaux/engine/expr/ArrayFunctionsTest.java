package io.glaux.engine.expr;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.connectors.arrow.ArrowTypes;
import io.glaux.engine.expr.Expression.FunctionCall;
import io.glaux.engine.expr.Expression.InputRef;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVectorHelper;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.complex.ListVector;
import org.apache.arrow.vector.util.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** Array and map kernels over real Arrow list vectors; the allocator is closed after each test so a leak fails it. */
class ArrayFunctionsTest
{
    private static final Type VARCHARS = new Type.Array(Type.VARCHAR);
    private static final Type BIGINTS = new Type.Array(Type.BIGINT);

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

    private static FunctionCall fn(String name, Type type, Expression... args)
    {
        return new FunctionCall(name, List.of(args), type);
    }

    private static Literal lit(Object value, Type type)
    {
        return new Literal(value, type);
    }

    /** A batch with one array column; {@code null} is a NULL array, a null element a NULL element. */
    private VectorSchemaRoot arrays(Type type, List<List<Object>> rows)
    {
        FieldVector vector = ArrowTypes.toArrowSchema(List.of("a"), List.of(type)).getFields().getFirst().createVector(allocator);
        ListVector list = (ListVector) vector;
        list.allocateNew();
        FieldVector data = list.getDataVector();
        int e = 0;
        for (int r = 0; r < rows.size(); r++) {
            List<Object> row = rows.get(r);
            list.startNewValue(r);
            if (row != null) {
                for (Object value : row) {
                    switch (data) {
                        case VarCharVector v when value == null -> v.setNull(e);
                        case VarCharVector v -> v.setSafe(e, ((String) value).getBytes(StandardCharsets.UTF_8));
                        case BigIntVector v when value == null -> v.setNull(e);
                        case BigIntVector v -> v.setSafe(e, (Long) value);
                        default -> throw new IllegalArgumentException(data.getClass().getName());
                    }
                    e++;
                }
            }
            list.endValue(r, row == null ? 0 : row.size());
            if (row == null) {
                BitVectorHelper.unsetBit(list.getValidityBuffer(), r);
            }
        }
        data.setValueCount(e);
        list.setValueCount(rows.size());
        VectorSchemaRoot root = new VectorSchemaRoot(List.of(vector));
        root.setRowCount(rows.size());
        return root;
    }

    /** The expression over the batch, every row and then only the odd rows; values rendered as Trino's CLI does. */
    private List<String> eval(Expression expression, VectorSchemaRoot batch)
    {
        List<Type> types = batch.getFieldVectors().isEmpty() ? List.of() : List.of(((InputRef) findInput(expression)).type());
        int rows = batch.getRowCount();
        List<String> all;
        try (VectorSchemaRoot out = Projector.compile(List.of(expression), types).project(batch, new Selection().selectAll(rows), allocator)) {
            all = render(out.getVector(0));
        }
        if (rows > 1) {
            int[] odd = new int[rows / 2];
            for (int i = 0; i < odd.length; i++) {
                odd[i] = 2 * i + 1;
            }
            Selection selection = new Selection();
            System.arraycopy(odd, 0, selection.ensureCapacity(odd.length), 0, odd.length);
            selection.set(odd.length, false);
            try (VectorSchemaRoot out = Projector.compile(List.of(expression), types).project(batch, selection, allocator)) {
                List<String> expected = Arrays.stream(odd).mapToObj(all::get).toList();
                assertThat(render(out.getVector(0))).isEqualTo(expected);
            }
        }
        return all;
    }

    private static Expression findInput(Expression expression)
    {
        return switch (expression) {
            case InputRef ref -> ref;
            case FunctionCall call -> call.arguments().stream().map(ArrayFunctionsTest::findInput).filter(e -> e != null).findFirst().orElse(null);
            case Expression.Call call -> call.arguments().stream().map(ArrayFunctionsTest::findInput).filter(e -> e != null).findFirst().orElse(null);
            case Expression.SpecialForm form -> form.arguments().stream().map(ArrayFunctionsTest::findInput).filter(e -> e != null).findFirst().orElse(null);
            default -> null;
        };
    }

    private String one(Expression expression)
    {
        try (VectorSchemaRoot batch = new VectorSchemaRoot(List.<FieldVector>of())) {
            batch.setRowCount(1);
            try (VectorSchemaRoot out = Projector.compile(List.of(expression), List.of()).project(batch, new Selection().selectAll(1), allocator)) {
                return render(out.getVector(0)).getFirst();
            }
        }
    }

    private static List<String> render(FieldVector vector)
    {
        List<String> values = new ArrayList<>();
        for (int r = 0; r < vector.getValueCount(); r++) {
            values.add(render(vector.getObject(r)));
        }
        return values;
    }

    private static String render(Object value)
    {
        return switch (value) {
            case null -> "NULL";
            case Text text -> text.toString();
            case List<?> list -> list.stream().map(ArrayFunctionsTest::render).collect(Collectors.joining(", ", "[", "]"));
            case Map<?, ?> map -> map.entrySet().stream().map(e -> e.getKey() + "=" + render(e.getValue())).collect(Collectors.joining(", ", "{", "}"));
            default -> value.toString();
        };
    }

    private static List<Object> list(Object... values)
    {
        return Arrays.asList(values);
    }

    private static Literal str(String value)
    {
        return lit(value, Type.VARCHAR);
    }

    @Test
    void arrayColumnsThroughKernels()
    {
        InputRef a = new InputRef(0, VARCHARS);
        List<List<Object>> rows = new ArrayList<>();
        rows.add(list("a", "b", "c"));
        rows.add(null);
        rows.add(list());
        rows.add(list("b", null, "b"));
        try (VectorSchemaRoot batch = arrays(VARCHARS, rows)) {
            assertThat(eval(new Expression.SpecialForm(Expression.Form.COALESCE, List.of(a, a), VARCHARS), batch)).containsExactly("[a, b, c]", "NULL", "[]", "[b, NULL, b]");
            assertThat(eval(fn("cardinality", Type.BIGINT, a), batch)).containsExactly("3", "NULL", "0", "3");
            assertThat(eval(fn("element_at", Type.VARCHAR, a, lit(-1L, Type.BIGINT)), batch)).containsExactly("c", "NULL", "NULL", "b");
            assertThat(eval(fn("element_at", Type.VARCHAR, a, lit(5L, Type.BIGINT)), batch)).containsExactly("NULL", "NULL", "NULL", "NULL");
            assertThat(eval(fn("contains", Type.BOOLEAN, a, str("b")), batch)).containsExactly("true", "NULL", "false", "true");
            assertThat(eval(fn("contains", Type.BOOLEAN, a, str("z")), batch)).containsExactly("false", "NULL", "false", "NULL");
            assertThat(eval(fn("array_position", Type.BIGINT, a, str("b")), batch)).containsExactly("2", "NULL", "0", "1");
            assertThat(eval(fn("array_join", Type.VARCHAR, a, str("-")), batch)).containsExactly("a-b-c", "NULL", "", "b-b");
            assertThat(eval(fn("array_join", Type.VARCHAR, a, str("-"), str("?")), batch)).containsExactly("a-b-c", "NULL", "", "b-?-b");
            assertThat(eval(fn("array_distinct", VARCHARS, a), batch)).containsExactly("[a, b, c]", "NULL", "[]", "[b, NULL]");
            assertThat(eval(fn("array_sort", VARCHARS, a), batch)).containsExactly("[a, b, c]", "NULL", "[]", "[b, b, NULL]");
            assertThat(eval(fn("array_remove", VARCHARS, a, str("b")), batch)).containsExactly("[a, c]", "NULL", "[]", "[NULL]");
            assertThat(eval(fn("array_max", Type.VARCHAR, a), batch)).containsExactly("c", "NULL", "NULL", "NULL");
            assertThat(eval(fn("slice", VARCHARS, a, lit(2L, Type.BIGINT), lit(5L, Type.BIGINT)), batch)).containsExactly("[b, c]", "NULL", "[]", "[NULL, b]");
            assertThat(eval(fn("reverse", VARCHARS, a), batch)).containsExactly("[c, b, a]", "NULL", "[]", "[b, NULL, b]");
            assertThat(eval(fn("array_union", VARCHARS, a, a), batch)).containsExactly("[a, b, c]", "NULL", "[]", "[b, NULL]");
            assertThat(eval(fn("cardinality", Type.BIGINT, fn("split", VARCHARS, fn("array_join", Type.VARCHAR, a, str(",")), str(","))), batch))
                    .containsExactly("3", "NULL", "1", "2");
            assertThatThrownBy(() -> eval(fn("$subscript", Type.VARCHAR, a, lit(3L, Type.BIGINT)), batch))
                    .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.INVALID_FUNCTION_ARGUMENT))
                    .hasMessageContaining("Array subscript must be less than or equal to array length: 3 > 0");
        }
    }

    @Test
    void integerArrays()
    {
        InputRef a = new InputRef(0, BIGINTS);
        try (VectorSchemaRoot batch = arrays(BIGINTS, List.of(list(3L, 1L, 2L), list(5L, null), list(7L, 7L, 1L)))) {
            assertThat(eval(fn("array_sort", BIGINTS, a), batch)).containsExactly("[1, 2, 3]", "[5, NULL]", "[1, 7, 7]");
            assertThat(eval(fn("array_min", Type.BIGINT, a), batch)).containsExactly("1", "NULL", "1");
            assertThat(eval(fn("contains", Type.BOOLEAN, a, lit(7L, Type.INTEGER)), batch)).containsExactly("false", "NULL", "true");
            assertThat(eval(fn("array_join", Type.VARCHAR, a, str(":")), batch)).containsExactly("3:1:2", "5", "7:7:1");
            assertThat(eval(fn("array_except", BIGINTS, a, fn("$array", BIGINTS, lit(1L, Type.BIGINT))), batch))
                    .containsExactly("[3, 2]", "[5, NULL]", "[7]");
            assertThat(eval(fn("array_intersect", BIGINTS, a, fn("$array", BIGINTS, lit(1L, Type.BIGINT), lit(5L, Type.BIGINT))), batch))
                    .containsExactly("[1]", "[5]", "[1]");
            assertThat(eval(fn("arrays_overlap", Type.BOOLEAN, a, fn("$array", BIGINTS, lit(2L, Type.BIGINT))), batch))
                    .containsExactly("true", "NULL", "false");
        }
    }

    @Test
    void constructedValues()
    {
        Type nested = new Type.Array(BIGINTS);
        Expression ints = fn("$array", BIGINTS, lit(1L, Type.BIGINT), lit(null, Type.BIGINT), lit(3L, Type.BIGINT));
        assertThat(one(ints)).isEqualTo("[1, NULL, 3]");
        assertThat(one(fn("flatten", BIGINTS, fn("$array", nested, ints, lit(null, BIGINTS), ints)))).isEqualTo("[1, NULL, 3, 1, NULL, 3]");
        assertThat(one(fn("split", VARCHARS, str("a,b,,c"), str(","), lit(3L, Type.BIGINT)))).isEqualTo("[a, b, ,c]");
        assertThat(one(fn("regexp_extract_all", VARCHARS, str("a1 b22 c333"), str("[a-z](\\d+)"), lit(1L, Type.BIGINT)))).isEqualTo("[1, 22, 333]");
        assertThat(one(fn("regexp_split", VARCHARS, str("a1b22c"), str("\\d+")))).isEqualTo("[a, b, c]");
        assertThat(one(fn("sequence", BIGINTS, lit(5L, Type.BIGINT), lit(1L, Type.BIGINT), lit(-2L, Type.BIGINT)))).isEqualTo("[5, 3, 1]");
        assertThat(one(fn("repeat", VARCHARS, str("x"), lit(3L, Type.BIGINT)))).isEqualTo("[x, x, x]");
        assertThat(one(fn("repeat", VARCHARS, lit(null, Type.VARCHAR), lit(2L, Type.BIGINT)))).isEqualTo("[NULL, NULL]");
        assertThat(one(new Expression.Call(Expression.Operator.CAST, List.of(ints), VARCHARS))).isEqualTo("[1, NULL, 3]");
        assertThat(one(new Expression.SpecialForm(Expression.Form.COALESCE, List.of(lit(null, BIGINTS), ints), BIGINTS))).isEqualTo("[1, NULL, 3]");
        assertThatThrownBy(() -> one(fn("sequence", BIGINTS, lit(1L, Type.BIGINT), lit(100_000L, Type.BIGINT))))
                .hasMessageContaining("result of sequence function must not have more than 10000 entries");
    }

    @Test
    void maps()
    {
        Type map = new Type.MapType(Type.VARCHAR, Type.BIGINT);
        Expression m = fn("map", map, fn("$array", VARCHARS, str("a"), str("b")), fn("$array", BIGINTS, lit(1L, Type.BIGINT), lit(null, Type.BIGINT)));
        assertThat(one(fn("cardinality", Type.BIGINT, m))).isEqualTo("2");
        assertThat(one(fn("element_at", Type.BIGINT, m, str("a")))).isEqualTo("1");
        assertThat(one(fn("element_at", Type.BIGINT, m, str("z")))).isEqualTo("NULL");
        assertThat(one(fn("map_keys", VARCHARS, m))).isEqualTo("[a, b]");
        assertThat(one(fn("map_values", BIGINTS, m))).isEqualTo("[1, NULL]");
        assertThat(one(fn("cardinality", Type.BIGINT, fn("map_entries", new Type.Array(new Type.Row(List.of(new Type.Field("key", Type.VARCHAR),
                new Type.Field("value", Type.BIGINT)))), m)))).isEqualTo("2");
        assertThat(one(fn("element_at", Type.VARCHAR, fn("split_to_map", new Type.MapType(Type.VARCHAR, Type.VARCHAR), str("a=1&b=2"), str("&"), str("=")),
                str("b")))).isEqualTo("2");
        assertThatThrownBy(() -> one(fn("$subscript", Type.BIGINT, m, str("z")))).hasMessageContaining("Key not present in map: z");
        assertThatThrownBy(() -> one(fn("map", map, fn("$array", VARCHARS, str("a"), str("a")), fn("$array", BIGINTS, lit(1L, Type.BIGINT), lit(2L, Type.BIGINT)))))
                .hasMessageContaining("Duplicate map keys (a) are not allowed");
    }
}
