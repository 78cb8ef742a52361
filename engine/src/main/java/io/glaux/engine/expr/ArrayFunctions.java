package io.glaux.engine.expr;

import static io.glaux.engine.expr.FunctionRegistry.Arg.ANY_ARRAY;
import static io.glaux.engine.expr.FunctionRegistry.Arg.ARRAY;
import static io.glaux.engine.expr.FunctionRegistry.Arg.DATETIME;
import static io.glaux.engine.expr.FunctionRegistry.Arg.ELEMENT;
import static io.glaux.engine.expr.FunctionRegistry.Arg.INTEGER;
import static io.glaux.engine.expr.FunctionRegistry.Arg.INTERVAL_DAY_TO_SECOND;
import static io.glaux.engine.expr.FunctionRegistry.Arg.INTERVAL_YEAR_TO_MONTH;
import static io.glaux.engine.expr.FunctionRegistry.Arg.SAME;
import static io.glaux.engine.expr.FunctionRegistry.Arg.VALUE;
import static io.glaux.engine.expr.FunctionRegistry.Arg.VARCHAR;
import static io.glaux.engine.expr.FunctionRegistry.args;
import static io.glaux.engine.expr.FunctionRegistry.constant;
import static io.glaux.engine.expr.FunctionRegistry.invalidArgument;
import static io.glaux.engine.expr.FunctionRegistry.returns;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import io.glaux.engine.expr.FunctionRegistry.Arg;
import io.glaux.spi.type.Type;
import org.apache.arrow.vector.VectorSchemaRoot;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Trino's array functions over array(T) values (see {@link Nested} for the layout): the ARRAY[...]
 * constructor and subscript, cardinality, element_at, contains, array_position, array_join, split,
 * regexp_extract_all, regexp_split, array_max/min, array_distinct, array_sort, array_remove, slice,
 * arrays_overlap, array_union/intersect/except, flatten, sequence, repeat, concat and reverse. NULL
 * rules and error messages are Trino's.
 */
final class ArrayFunctions
{
    /** Trino's bound on sequence() and repeat(). */
    static final int MAX_RESULT_ENTRIES = 10_000;

    private ArrayFunctions() {}

    static Type elementOf(Type type)
    {
        return type instanceof Type.Array array ? array.element() : ((Type.MapType) type).key();
    }

    private static Function<List<Type>, Type> element(int index)
    {
        return types -> ((Type.Array) types.get(index)).element();
    }

    private static Function<List<Type>, Type> arrayOf(Type type)
    {
        return _ -> new Type.Array(type);
    }

    private static Function<List<Type>, Type> sameArray(int index)
    {
        return types -> types.get(index);
    }

    static void register(FunctionRegistry.Builder b)
    {
        // internal forms the planner calls: ARRAY[...] and a[i]
        b.add("$array", args(SAME), true, types -> new Type.Array(types.stream().reduce(FunctionRegistry::commonType).orElseThrow()), "array(T)",
                "ARRAY[...]", "", (a, c, t) -> new Construct(t, a));
        b.add("$array", args(VALUE), true, types -> new Type.Array(types.getFirst()), "array(T)", "ARRAY[...]", "", (a, c, t) -> new Construct(t, a));
        b.add("$subscript", args(ANY_ARRAY, INTEGER), element(0), "T", "a[i]", (a, c, t) -> new ElementAt(t, a, true));

        b.add("cardinality", args(ANY_ARRAY), returns(Type.BIGINT), "bigint", "The number of elements of the array.", (a, c, t) -> new Cardinality(t, a));
        b.add("element_at", args(ANY_ARRAY, INTEGER), element(0), "T",
                "Element `index` (1-based; negative counts from the end), NULL when the array is shorter.", (a, c, t) -> new ElementAt(t, a, false));
        b.add("contains", args(ARRAY, ELEMENT), returns(Type.BOOLEAN), "boolean",
                "Whether the array contains the value (NULL when it does not but has a NULL element).", (a, c, t) -> new Contains(t, a));
        b.add("array_position", args(ARRAY, ELEMENT), returns(Type.BIGINT), "bigint",
                "Position (1-based) of the first element equal to the value, 0 when none.", (a, c, t) -> new Position(t, a));
        b.add("array_join", args(ARRAY, VARCHAR), returns(Type.VARCHAR), "varchar",
                "The elements as text, joined by the delimiter; NULL elements are skipped.", (a, c, t) -> new Join(t, a));
        b.add("array_join", args(ARRAY, VARCHAR, VARCHAR), returns(Type.VARCHAR), "varchar",
                "The elements as text, joined by the delimiter; NULL elements become `null_replacement`.", (a, c, t) -> new Join(t, a));
        b.add("split", args(VARCHAR, VARCHAR), arrayOf(Type.VARCHAR), "array(varchar)", "The string split at each delimiter.",
                (a, c, t) -> new Split(t, a));
        b.add("split", args(VARCHAR, VARCHAR, INTEGER), arrayOf(Type.VARCHAR), "array(varchar)",
                "The string split at the first `limit` - 1 delimiters (the last element holds the rest).", (a, c, t) -> new Split(t, a));
        b.add("regexp_extract_all", args(VARCHAR, VARCHAR), false, arrayOf(Type.VARCHAR), "array(varchar)", "Every match of the pattern.",
                "RE2 syntax; the pattern must be a constant.", (a, c, t) -> new RegexpAll(t, a, c, false), 1);
        b.add("regexp_extract_all", args(VARCHAR, VARCHAR, INTEGER), false, arrayOf(Type.VARCHAR), "array(varchar)",
                "Capturing group `group` of every match.", "RE2 syntax; the pattern must be a constant.", (a, c, t) -> new RegexpAll(t, a, c, false), 1);
        b.add("regexp_split", args(VARCHAR, VARCHAR), false, arrayOf(Type.VARCHAR), "array(varchar)", "The string split at each match of the pattern.",
                "RE2 syntax; the pattern must be a constant.", (a, c, t) -> new RegexpAll(t, a, c, true), 1);
        b.add("array_max", args(ARRAY), element(0), "T", "The largest element; NULL when the array is empty or has a NULL element.",
                (a, c, t) -> new MinMax(t, a, true));
        b.add("array_min", args(ARRAY), element(0), "T", "The smallest element; NULL when the array is empty or has a NULL element.",
                (a, c, t) -> new MinMax(t, a, false));
        b.add("array_distinct", args(ARRAY), sameArray(0), "array(T)", "The array without duplicates (first occurrences, in order).",
                (a, c, t) -> new SetOperation(t, a, SetKind.DISTINCT));
        b.add("array_sort", args(ARRAY), sameArray(0), "array(T)", "The elements in ascending order, NULLs last.", (a, c, t) -> new Sort(t, a));
        b.add("array_remove", args(ARRAY, ELEMENT), sameArray(0), "array(T)", "The array without the elements equal to the value.",
                (a, c, t) -> new Remove(t, a));
        b.add("slice", args(ANY_ARRAY, INTEGER, INTEGER), sameArray(0), "array(T)",
                "`length` elements from `start` (1-based; negative counts from the end).", (a, c, t) -> new Slice(t, a));
        b.add("arrays_overlap", args(ARRAY, ARRAY), returns(Type.BOOLEAN), "boolean",
                "Whether the arrays share a non-NULL element (NULL when they do not but one has a NULL element).", (a, c, t) -> new Overlap(t, a));
        b.add("array_union", args(ARRAY, ARRAY), sameArray(0), "array(T)", "The distinct elements of both arrays.",
                (a, c, t) -> new SetOperation(t, a, SetKind.UNION));
        b.add("array_intersect", args(ARRAY, ARRAY), sameArray(0), "array(T)", "The distinct elements of the first array that are in the second.",
                (a, c, t) -> new SetOperation(t, a, SetKind.INTERSECT));
        b.add("array_except", args(ARRAY, ARRAY), sameArray(0), "array(T)", "The distinct elements of the first array that are not in the second.",
                (a, c, t) -> new SetOperation(t, a, SetKind.EXCEPT));
        b.add("flatten", args(ANY_ARRAY), types -> ((Type.Array) types.getFirst()).element(), "array(T)",
                "The elements of the arrays of an array(array(T)), in order (NULL arrays are skipped).", (a, c, t) -> new Flatten(t, a));
        b.add("reverse", args(ANY_ARRAY), sameArray(0), "array(T)", "The elements in reverse order.", (a, c, t) -> new Reverse(t, a));
        b.add("concat", args(ANY_ARRAY, ANY_ARRAY), true, sameArray(0), "array(T)",
                "The elements of the arrays one after the other (also the `||` operator); NULL when an array is NULL.", "", (a, c, t) -> new Concat(t, a));
        b.add("sequence", args(INTEGER, INTEGER), arrayOf(Type.BIGINT), "array(bigint)", "The integers from start to stop, by 1 or -1.",
                (a, c, t) -> new Sequence(t, a));
        b.add("sequence", args(INTEGER, INTEGER, INTEGER), arrayOf(Type.BIGINT), "array(bigint)", "The integers from start to stop, by step.",
                (a, c, t) -> new Sequence(t, a));
        b.add("sequence", args(DATETIME, DATETIME), types -> new Type.Array(types.getFirst()), "array(date)",
                "The days from start to stop (dates), by 1 or -1 day.", (a, c, t) -> new Sequence(t, a));
        b.add("sequence", args(DATETIME, SAME, INTERVAL_DAY_TO_SECOND), types -> new Type.Array(types.getFirst()), "array(date or timestamp)",
                "The dates or timestamps from start to stop, by step (whole days for dates).", (a, c, t) -> new IntervalSequence(t, a, false));
        b.add("sequence", args(DATETIME, SAME, INTERVAL_YEAR_TO_MONTH), types -> new Type.Array(types.getFirst()), "array(date or timestamp)",
                "The dates or timestamps from start to stop, by step months.", (a, c, t) -> new IntervalSequence(t, a, true));
        b.add("repeat", args(VALUE, INTEGER), types -> new Type.Array(types.getFirst()), "array(T)", "The value `count` times.",
                (a, c, t) -> new Repeat(t, a));
    }

    /** Arrays of one call share their element type; ELEMENT arguments compare with the first array's elements. */
    static boolean elementsMatch(List<Arg> arguments, List<Type> types)
    {
        Type first = null;
        Type value = null;
        for (int i = 0; i < types.size(); i++) {
            Arg arg = arguments.get(Math.min(i, arguments.size() - 1));
            Type type = types.get(i);
            switch (arg) {
                case ARRAY -> {
                    Type element = ((Type.Array) type).element();
                    if (Nested.isNested(element)) {
                        return false;
                    }
                    if (first == null) {
                        first = type;
                    }
                    else if (!sameLayout(((Type.Array) first).element(), element)) {
                        return false;
                    }
                }
                case ANY_ARRAY -> {
                    if (first == null) {
                        first = type;
                    }
                }
                case MAP -> {
                    if (first == null) {
                        first = type;
                    }
                }
                case VALUE -> {
                    if (!Nested.computable(type) || (value != null && !sameLayout(value, type))) {
                        return false;
                    }
                    value = value == null ? type : value;
                }
                default -> { }
            }
        }
        for (int i = 0; i < types.size(); i++) {
            if (arguments.get(Math.min(i, arguments.size() - 1)) == ELEMENT) {
                Type element = first == null ? null : elementOf(first);
                Type type = types.get(i);
                if (element == null || Nested.isNested(element) || !SqlTypes.comparable(element, type)
                        || (SqlTypes.isIntegral(element) && !SqlTypes.isIntegral(type))
                        || (SqlTypes.isVarchar(element) != SqlTypes.isVarchar(type))) {
                    return false;
                }
            }
        }
        return true;
    }

    /** Whether values of the two types have the same layout in a block (varchar lengths, integer widths may differ). */
    static boolean sameLayout(Type a, Type b)
    {
        if (a.equals(b)) {
            return true;
        }
        return switch (a) {
            case Type.Array x when b instanceof Type.Array y -> sameLayout(x.element(), y.element());
            case Type.MapType x when b instanceof Type.MapType y -> sameLayout(x.key(), y.key()) && sameLayout(x.value(), y.value());
            default -> (SqlTypes.isVarchar(a) && SqlTypes.isVarchar(b)) || (SqlTypes.isIntegral(a) && SqlTypes.isIntegral(b))
                    || (SqlTypes.isFloating(a) && SqlTypes.isFloating(b));
        };
    }

    /** An ELEMENT argument in the representation of the elements it is compared with. */
    static ValueEvaluator coerceElement(ValueEvaluator value, List<Type> argumentTypes)
    {
        Type container = argumentTypes.stream().filter(t -> t instanceof Type.Array || t instanceof Type.MapType).findFirst().orElseThrow();
        Type element = elementOf(container);
        if (sameLayout(element, value.type)) {
            return value;
        }
        return CastEvaluator.of(value, SqlTypes.isFloating(element) ? Type.DOUBLE : element);
    }

    static PhysicalType.Representation representation(Type type)
    {
        return PhysicalType.of(type).representation();
    }

    // ------------------------------------------------------------------ kernels

    /** ARRAY[a, b, ...]. */
    static final class Construct
            extends ValueEvaluator
    {
        private final Type element;
        private final ValueEvaluator[] args;

        Construct(Type type, List<ValueEvaluator> args)
        {
            super(type);
            this.element = ((Type.Array) type).element();
            this.args = args.toArray(ValueEvaluator[]::new);
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            // not strict: a NULL argument is a NULL element
            Nested.reset(result, type);
            Block[] blocks = new Block[args.length];
            for (int i = 0; i < args.length; i++) {
                blocks[i] = args[i].evaluate(batch, positions, count);
            }
            Block elements = result.child(0);
            for (int j = 0; j < count; j++) {
                for (Block block : blocks) {
                    Nested.append(elements, element, block, j);
                }
                Nested.endArray(result);
            }
            return result;
        }
    }

    static final class Cardinality
            extends ArrayKernel
    {
        Cardinality(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
        }

        @Override
        void row(int j)
        {
            emitLong(j, to(0, j) - from(0, j));
        }
    }

    /** element_at(a, i) (NULL out of range) and a[i] (an error out of range). */
    static final class ElementAt
            extends ArrayKernel
    {
        private final boolean subscript;

        ElementAt(Type type, List<ValueEvaluator> args, boolean subscript)
        {
            super(type, args);
            this.subscript = subscript;
        }

        @Override
        void row(int j)
        {
            long index = in[1].longs[j];
            int from = from(0, j);
            int length = to(0, j) - from;
            if (index == 0) {
                throw invalidArgument("SQL array indices start at 1");
            }
            if (subscript) {
                if (index < 0) {
                    throw invalidArgument("Array subscript is negative: " + index);
                }
                if (index > length) {
                    throw invalidArgument("Array subscript must be less than or equal to array length: " + index + " > " + length);
                }
            }
            else if (Math.abs(index) > length) {
                emitNull(j);
                return;
            }
            int at = index > 0 ? from + (int) index - 1 : from + length + (int) index;
            emitValue(j, elementsOf(0), at);
        }
    }

    static final class Contains
            extends ArrayKernel
    {
        private final Nested.Key representation;

        Contains(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.representation = Nested.Key.of(elementOf(args.get(0).type));
        }

        @Override
        void row(int j)
        {
            Block elements = elementsOf(0);
            boolean sawNull = false;
            for (int e = from(0, j); e < to(0, j); e++) {
                if (elements.isNull(e)) {
                    sawNull = true;
                }
                else if (Nested.equal(representation, elements, e, in[1], j)) {
                    emitLong(j, 1);
                    return;
                }
            }
            if (sawNull) {
                emitNull(j);
            }
            else {
                emitLong(j, 0);
            }
        }
    }

    static final class Position
            extends ArrayKernel
    {
        private final Nested.Key representation;

        Position(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.representation = Nested.Key.of(elementOf(args.get(0).type));
        }

        @Override
        void row(int j)
        {
            Block elements = elementsOf(0);
            int from = from(0, j);
            for (int e = from; e < to(0, j); e++) {
                if (!elements.isNull(e) && Nested.equal(representation, elements, e, in[1], j)) {
                    emitLong(j, e - from + 1);
                    return;
                }
            }
            emitLong(j, 0);
        }
    }

    /** array_join: the elements cast to varchar as one block, then joined per row. */
    static final class Join
            extends ArrayKernel
    {
        private final SpecialForms.Precomputed elementSource;
        private final ValueEvaluator asText;
        private int[] identity = new int[0];
        private Block text;

        Join(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            Type element = elementOf(args.get(0).type);
            this.elementSource = new SpecialForms.Precomputed(element);
            this.asText = SqlTypes.isVarchar(element) ? elementSource : CastEvaluator.of(elementSource, Type.VARCHAR);
        }

        @Override
        void prepare(int count)
        {
            Block elements = elementsOf(0);
            int n = elements.count;
            if (identity.length < n) {
                identity = new int[Block.grow(identity.length, n)];
                for (int k = 0; k < identity.length; k++) {
                    identity[k] = k;
                }
            }
            elementSource.block = elements;
            elementSource.row = -1;
            text = asText.evaluate(null, identity, n);
        }

        @Override
        void row(int j)
        {
            Block delimiter = in[1];
            int dFrom = delimiter.offsets[j];
            int dLength = delimiter.offsets[j + 1] - dFrom;
            boolean replace = in.length == 3;
            int length = 0;
            boolean first = true;
            for (int e = from(0, j); e < to(0, j); e++) {
                int size;
                if (text.isNull(e)) {
                    if (!replace) {
                        continue;
                    }
                    size = in[2].offsets[j + 1] - in[2].offsets[j];
                }
                else {
                    size = text.offsets[e + 1] - text.offsets[e];
                }
                length += (first ? 0 : dLength) + size;
                first = false;
            }
            byte[] out = reserve(length);
            int p = reserved();
            first = true;
            for (int e = from(0, j); e < to(0, j); e++) {
                Block source;
                int at;
                if (text.isNull(e)) {
                    if (!replace) {
                        continue;
                    }
                    source = in[2];
                    at = j;
                }
                else {
                    source = text;
                    at = e;
                }
                if (!first) {
                    System.arraycopy(delimiter.bytes, dFrom, out, p, dLength);
                    p += dLength;
                }
                first = false;
                int size = source.offsets[at + 1] - source.offsets[at];
                System.arraycopy(source.bytes, source.offsets[at], out, p, size);
                p += size;
            }
            commit(j, length);
        }
    }

    static final class Split
            extends ArrayKernel
    {
        Split(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
        }

        @Override
        void row(int j)
        {
            Block string = in[0];
            Block delimiter = in[1];
            int from = string.offsets[j];
            int end = string.offsets[j + 1];
            int dFrom = delimiter.offsets[j];
            int dLength = delimiter.offsets[j + 1] - dFrom;
            long limit = Integer.MAX_VALUE;
            if (in.length == 3) {
                limit = in[2].longs[j];
                if (limit <= 0) {
                    throw invalidArgument("Limit must be positive");
                }
                if (limit > Integer.MAX_VALUE) {
                    throw invalidArgument("Limit is too large");
                }
            }
            if (dLength == 0) {
                throw invalidArgument("The delimiter may not be the empty string");
            }
            Block elements = elements();
            int start = from;
            int parts = 1;
            while (parts < limit) {
                int found = indexOf(string.bytes, start, end, delimiter.bytes, dFrom, dLength);
                if (found < 0) {
                    break;
                }
                Nested.appendBytes(elements, string.bytes, start, found - start);
                start = found + dLength;
                parts++;
            }
            Nested.appendBytes(elements, string.bytes, start, end - start);
            endArray(j);
        }
    }

    static int indexOf(byte[] bytes, int from, int to, byte[] pattern, int pFrom, int pLength)
    {
        byte first = pattern[pFrom];
        outer:
        for (int i = from; i <= to - pLength; i++) {
            if (bytes[i] != first) {
                continue;
            }
            for (int k = 1; k < pLength; k++) {
                if (bytes[i + k] != pattern[pFrom + k]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    /** regexp_extract_all and regexp_split. */
    static final class RegexpAll
            extends ArrayKernel
    {
        private final Matcher matcher;
        private final boolean split;

        RegexpAll(Type type, List<ValueEvaluator> args, List<Expression> calls, boolean split)
        {
            super(type, args);
            Pattern pattern = RegexpFunctions.compile((String) constant(calls, 1));
            this.matcher = pattern.matcher("");
            this.split = split;
        }

        @Override
        void row(int j)
        {
            Block string = in[0];
            int from = string.offsets[j];
            int end = string.offsets[j + 1];
            boolean ascii = Utf8.isAscii(string.bytes, from, end);
            String value = ascii ? null : new String(string.bytes, from, end - from, StandardCharsets.UTF_8);
            if (ascii) {
                matcher.reset(new RegexpFunctions.AsciiView().set(string.bytes, from, end));
            }
            else {
                matcher.reset(value);
            }
            int group = 0;
            if (in.length == 3) {
                long g = in[2].longs[j];
                if (g < 0 || g > matcher.groupCount()) {
                    throw invalidArgument("Pattern has " + matcher.groupCount() + " groups. Cannot access group " + g);
                }
                group = (int) g;
            }
            Block elements = elements();
            int last = 0;
            while (matcher.find()) {
                if (split) {
                    append(elements, ascii, string, from, value, last, matcher.start());
                    last = matcher.end();
                }
                else if (matcher.start(group) < 0) {
                    Nested.appendNull(elements, Type.VARCHAR);
                }
                else {
                    append(elements, ascii, string, from, value, matcher.start(group), matcher.end(group));
                }
            }
            if (split) {
                append(elements, ascii, string, from, value, last, ascii ? end - from : value.length());
            }
            endArray(j);
        }

        private static void append(Block elements, boolean ascii, Block string, int from, String value, int start, int end)
        {
            if (ascii) {
                Nested.appendBytes(elements, string.bytes, from + start, end - start);
            }
            else {
                Nested.appendString(elements, value.substring(start, end));
            }
        }
    }

    static final class MinMax
            extends ArrayKernel
    {
        private final Nested.Key representation;
        private final boolean max;

        MinMax(Type type, List<ValueEvaluator> args, boolean max)
        {
            super(type, args);
            this.representation = Nested.Key.of(elementOf(args.get(0).type));
            this.max = max;
        }

        @Override
        void row(int j)
        {
            Block elements = elementsOf(0);
            int best = -1;
            for (int e = from(0, j); e < to(0, j); e++) {
                if (elements.isNull(e)) {
                    emitNull(j);
                    return;
                }
                if (representation == Nested.Key.DOUBLE && Double.isNaN(elements.doubles[e])) {
                    best = e;
                    break;
                }
                if (best < 0) {
                    best = e;
                }
                else {
                    int c = Nested.compare(representation, elements, e, elements, best);
                    if (max ? c > 0 : c < 0) {
                        best = e;
                    }
                }
            }
            if (best < 0) {
                emitNull(j);
            }
            else {
                emitValue(j, elements, best);
            }
        }
    }

    enum SetKind
    {
        DISTINCT, UNION, INTERSECT, EXCEPT
    }

    /** array_distinct, array_union, array_intersect, array_except: distinct elements in first-seen order (NULL is a value). */
    static final class SetOperation
            extends ArrayKernel
    {
        private final Nested.Key representation;
        private final Type element;
        private final SetKind kind;

        SetOperation(Type type, List<ValueEvaluator> args, SetKind kind)
        {
            super(type, args);
            this.element = elementOf(args.get(0).type);
            this.representation = Nested.Key.of(element);
            this.kind = kind;
        }

        @Override
        void row(int j)
        {
            Block out = elements();
            int start = out.count;
            emitDistinct(out, start, 0, j, kind == SetKind.DISTINCT || kind == SetKind.UNION ? -1 : 1, kind == SetKind.INTERSECT);
            if (kind == SetKind.UNION) {
                emitDistinct(out, start, 1, j, -1, false);
            }
            endArray(j);
        }

        /** Appends the elements of argument {@code arg} not yet in the output (and in / not in argument {@code other}). */
        private void emitDistinct(Block out, int start, int arg, int j, int other, boolean inOther)
        {
            Block elements = elementsOf(arg);
            for (int e = from(arg, j); e < to(arg, j); e++) {
                if (contains(out, start, out.count, elements, e)) {
                    continue;
                }
                if (other >= 0 && contains(elementsOf(other), from(other, j), to(other, j), elements, e) != inOther) {
                    continue;
                }
                Nested.append(out, element, elements, e);
            }
        }

        private boolean contains(Block block, int from, int to, Block source, int e)
        {
            boolean isNull = source.isNull(e);
            for (int k = from; k < to; k++) {
                if (block.isNull(k) ? isNull : !isNull && Nested.equal(representation, block, k, source, e)) {
                    return true;
                }
            }
            return false;
        }
    }

    static final class Sort
            extends ArrayKernel
    {
        private final Nested.Key representation;
        private final Type element;
        private int[] order = new int[0];
        private int[] buffer;

        Sort(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.element = elementOf(args.get(0).type);
            this.representation = Nested.Key.of(element);
        }

        @Override
        void row(int j)
        {
            Block elements = elementsOf(0);
            int from = from(0, j);
            int n = to(0, j) - from;
            switch (representation) {
                case LONG -> sortLongs(elements, from, n);
                case DOUBLE -> sortDoubles(elements, from, n);
                default -> sortGeneral(elements, from, n);
            }
            endArray(j);
        }

        private void sortLongs(Block elements, int from, int n)
        {
            long[] values = new long[n];
            int k = 0;
            int nulls = 0;
            for (int e = from; e < from + n; e++) {
                if (elements.isNull(e)) {
                    nulls++;
                }
                else {
                    values[k++] = elements.longs[e];
                }
            }
            Arrays.sort(values, 0, k);
            Block out = elements();
            for (int i = 0; i < k; i++) {
                Nested.appendLong(out, values[i]);
            }
            for (int i = 0; i < nulls; i++) {
                Nested.appendNull(out, element);
            }
        }

        private void sortDoubles(Block elements, int from, int n)
        {
            double[] values = new double[n];
            int k = 0;
            int nulls = 0;
            for (int e = from; e < from + n; e++) {
                if (elements.isNull(e)) {
                    nulls++;
                }
                else {
                    values[k++] = elements.doubles[e];
                }
            }
            Arrays.sort(values, 0, k);
            Block out = elements();
            for (int i = 0; i < k; i++) {
                Nested.appendDouble(out, values[i]);
            }
            for (int i = 0; i < nulls; i++) {
                Nested.appendNull(out, element);
            }
        }

        private void sortGeneral(Block elements, int from, int n)
        {
            if (order.length < n) {
                order = new int[Block.grow(order.length, n)];
            }
            for (int i = 0; i < n; i++) {
                order[i] = from + i;
            }
            buffer = IntSorts.sort(order, n, (x, y) -> {
                boolean xNull = elements.isNull(x);
                boolean yNull = elements.isNull(y);
                if (xNull || yNull) {
                    return Boolean.compare(xNull, yNull);
                }
                return Nested.compare(representation, elements, x, elements, y);
            }, buffer);
            Block out = elements();
            for (int i = 0; i < n; i++) {
                Nested.append(out, element, elements, order[i]);
            }
        }
    }

    static final class Remove
            extends ArrayKernel
    {
        private final Nested.Key representation;
        private final Type element;

        Remove(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.element = elementOf(args.get(0).type);
            this.representation = Nested.Key.of(element);
        }

        @Override
        void row(int j)
        {
            Block elements = elementsOf(0);
            Block out = elements();
            for (int e = from(0, j); e < to(0, j); e++) {
                if (elements.isNull(e) || !Nested.equal(representation, elements, e, in[1], j)) {
                    Nested.append(out, element, elements, e);
                }
            }
            endArray(j);
        }
    }

    static final class Slice
            extends ArrayKernel
    {
        private final Type element;

        Slice(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.element = elementOf(args.get(0).type);
        }

        @Override
        void row(int j)
        {
            long start = in[1].longs[j];
            long length = in[2].longs[j];
            if (start == 0) {
                throw invalidArgument("SQL array indices start at 1");
            }
            if (length < 0) {
                throw invalidArgument("Length must be greater than or equal to 0");
            }
            int from = from(0, j);
            int size = to(0, j) - from;
            long first = start > 0 ? start - 1 : size + start;
            if (first >= 0 && first < size) {
                long last = Math.min(size, first + length);
                Nested.appendRange(elements(), element, elementsOf(0), from + (int) first, from + (int) last);
            }
            endArray(j);
        }
    }

    static final class Overlap
            extends ArrayKernel
    {
        private final Nested.Key representation;

        Overlap(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.representation = Nested.Key.of(elementOf(args.get(0).type));
        }

        @Override
        void row(int j)
        {
            Block left = elementsOf(0);
            Block right = elementsOf(1);
            boolean sawNull = false;
            for (int e = from(0, j); e < to(0, j); e++) {
                if (left.isNull(e)) {
                    sawNull = true;
                    continue;
                }
                for (int k = from(1, j); k < to(1, j); k++) {
                    if (right.isNull(k)) {
                        sawNull = true;
                    }
                    else if (Nested.equal(representation, left, e, right, k)) {
                        emitLong(j, 1);
                        return;
                    }
                }
            }
            if (!sawNull) {
                for (int k = from(1, j); k < to(1, j); k++) {
                    sawNull |= right.isNull(k);
                }
            }
            if (sawNull) {
                emitNull(j);
            }
            else {
                emitLong(j, 0);
            }
        }
    }

    static final class Flatten
            extends ArrayKernel
    {
        private final Type element;

        Flatten(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.element = ((Type.Array) type).element();
        }

        @Override
        void row(int j)
        {
            Block inner = elementsOf(0);
            Block values = inner.child(0);
            for (int e = from(0, j); e < to(0, j); e++) {
                if (!inner.isNull(e)) {
                    Nested.appendRange(elements(), element, values, inner.offsets[e], inner.offsets[e + 1]);
                }
            }
            endArray(j);
        }
    }

    static final class Concat
            extends ArrayKernel
    {
        private final Type element;

        Concat(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.element = ((Type.Array) type).element();
            for (ValueEvaluator arg : args) {
                if (!arg.type.equals(type)) {
                    throw ExpressionCompiler.notSupported("concat of " + args.getFirst().type.trinoName() + " and " + arg.type.trinoName());
                }
            }
        }

        @Override
        void row(int j)
        {
            for (int arg = 0; arg < in.length; arg++) {
                Nested.appendRange(elements(), element, elementsOf(arg), from(arg, j), to(arg, j));
            }
            endArray(j);
        }
    }

    static final class Reverse
            extends ArrayKernel
    {
        private final Type element;

        Reverse(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.element = ((Type.Array) type).element();
        }

        @Override
        void row(int j)
        {
            Block elements = elementsOf(0);
            for (int e = to(0, j) - 1; e >= from(0, j); e--) {
                Nested.append(elements(), element, elements, e);
            }
            endArray(j);
        }
    }

    static final class Sequence
            extends ArrayKernel
    {
        private final boolean dates;

        Sequence(Type type, List<ValueEvaluator> args)
        {
            super(type, args);
            this.dates = SqlTypes.isDate(((Type.Array) type).element());
            if (!dates && !SqlTypes.isIntegral(((Type.Array) type).element())) {
                throw ExpressionCompiler.notSupported("sequence over " + args.getFirst().type.trinoName() + " without an interval step");
            }
        }

        @Override
        void row(int j)
        {
            long start = in[0].longs[j];
            long stop = in[1].longs[j];
            long step = in.length == 3 ? in[2].longs[j] : (stop >= start ? 1 : -1);
            if (step == 0) {
                throw invalidArgument("step must not be zero");
            }
            if ((step > 0 && stop < start) || (step < 0 && stop > start)) {
                throw invalidArgument("sequence stop value should be greater than or equal to start value if step is greater than zero "
                        + "otherwise stop should be less than or equal to start");
            }
            long entries = (stop - start) / step + 1;
            if (entries > MAX_RESULT_ENTRIES) {
                throw invalidArgument("result of sequence function must not have more than " + MAX_RESULT_ENTRIES + " entries");
            }
            Block out = elements();
            for (long k = 0; k < entries; k++) {
                Nested.appendLong(out, start + k * step);
            }
            endArray(j);
        }
    }

    /**
     * {@code sequence(start, stop, step)} over dates or timestamps (not with a time zone), as Trino's: a day
     * to second step moves a timestamp by its milliseconds and a date by its days (a date's step must be
     * whole days); a year to month step moves either by months, each element {@code start + k * step}
     * from the start (so the 31st stays the last day of shorter months).
     */
    static final class IntervalSequence
            extends ArrayKernel
    {
        private final boolean dates;
        private final boolean months;

        IntervalSequence(Type type, List<ValueEvaluator> args, boolean months)
        {
            super(type, args);
            Type element = ((Type.Array) type).element();
            this.dates = SqlTypes.isDate(element);
            this.months = months;
            if (!dates && !SqlTypes.isTimestamp(element)) {
                throw ExpressionCompiler.notSupported("sequence over " + element.trinoName());
            }
        }

        @Override
        void row(int j)
        {
            long start = in[0].longs[j];
            long stop = in[1].longs[j];
            long step = in[2].longs[j];
            if (step == 0) {
                throw invalidArgument("step must not be zero");
            }
            if (dates && !months && step % TimeFunctions.MILLIS_PER_DAY != 0) {
                throw invalidArgument("sequence step must be a day interval if start and end values are dates");
            }
            if ((step > 0 && stop < start) || (step < 0 && stop > start)) {
                throw invalidArgument("sequence stop value should be greater than or equal to start value if step is greater than zero "
                        + "otherwise stop should be less than or equal to start");
            }
            Block out = elements();
            for (long k = 0; ; k++) {
                long value;
                try {
                    value = next(start, step, k);
                }
                catch (ArithmeticException e) {
                    // past the largest date or timestamp: beyond stop
                    break;
                }
                if (step > 0 ? value > stop : value < stop) {
                    break;
                }
                if (k >= MAX_RESULT_ENTRIES) {
                    throw invalidArgument("result of sequence function must not have more than " + MAX_RESULT_ENTRIES + " entries");
                }
                Nested.appendLong(out, value);
            }
            endArray(j);
        }

        /** Element {@code k}: start moved by k steps (dates in days, timestamps in microseconds). */
        private long next(long start, long step, long k)
        {
            if (months) {
                long moved = Math.multiplyExact(step, k);
                if (dates) {
                    return DateTimeFunctions.addMonths(start, moved);
                }
                long days = Math.floorDiv(start, TimeFunctions.MICROS_PER_DAY);
                return Math.addExact(Math.multiplyExact(DateTimeFunctions.addMonths(days, moved), TimeFunctions.MICROS_PER_DAY),
                        Math.floorMod(start, TimeFunctions.MICROS_PER_DAY));
            }
            return dates
                    ? Math.addExact(start, Math.multiplyExact(step / TimeFunctions.MILLIS_PER_DAY, k))
                    : Math.addExact(start, Math.multiplyExact(Math.multiplyExact(step, k), DateTimeFunctions.MICROS_PER_MILLI));
        }
    }

    static final class Repeat
            extends ValueEvaluator
    {
        private final Type element;
        private final ValueEvaluator[] args;

        Repeat(Type type, List<ValueEvaluator> args)
        {
            super(type);
            this.element = ((Type.Array) type).element();
            this.args = args.toArray(ValueEvaluator[]::new);
        }

        @Override
        Block evaluate(VectorSchemaRoot batch, int[] positions, int count)
        {
            // not strict in its element: repeat(NULL, 2) is [NULL, NULL]
            Block value = args[0].evaluate(batch, positions, count);
            Block counts = args[1].evaluate(batch, positions, count);
            Nested.reset(result, type);
            Block out = result.child(0);
            for (int j = 0; j < count; j++) {
                if (counts.isNull(j)) {
                    Nested.appendNull(result, type);
                    continue;
                }
                long n = counts.longs[j];
                if (n < 0) {
                    throw invalidArgument("count argument of repeat function must be greater than or equal to 0");
                }
                if (n > MAX_RESULT_ENTRIES) {
                    throw invalidArgument("count argument of repeat function must be less than or equal to " + MAX_RESULT_ENTRIES);
                }
                for (long k = 0; k < n; k++) {
                    Nested.append(out, element, value, j);
                }
                Nested.endArray(result);
            }
            return result;
        }
    }
}
