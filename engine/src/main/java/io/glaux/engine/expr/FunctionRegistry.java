package io.glaux.engine.expr;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.expr.Expression.FunctionCall;
import io.glaux.engine.expr.Expression.Literal;
import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The engine's scalar functions, by Trino name and argument types, each a vectorized evaluator (see
 * {@link Kernel}). The same implementation runs on workers and on the coordinator. Every function is
 * strict: NULL when any argument is NULL. Arguments marked constant (a regular expression, a date unit,
 * a format) must be literals; a call with another argument is not supported (the planner keeps such a
 * call out of the engine).
 */
public final class FunctionRegistry
{
    /** What an argument accepts. */
    enum Arg
    {
        /** varchar (any length). */
        VARCHAR("varchar"),
        VARBINARY("varbinary"),
        /** tinyint, smallint, integer, bigint. */
        INTEGER("bigint"),
        /** Any number (decimal, integer and real included), converted to double. */
        DOUBLE("double"),
        /** Any number, kept in its type. */
        NUMBER("number"),
        /** date or timestamp, kept in its type. */
        DATETIME("date or timestamp"),
        TIMESTAMP("timestamp"),
        TIMESTAMP_TZ("timestamp(p) with time zone"),
        TIME("time(p)"),
        /** A timestamp or a time of day (micros), kept in its type. */
        TIMESTAMP_OR_TIME("timestamp or time"),
        INTERVAL_DAY_TO_SECOND("interval day to second"),
        INTERVAL_YEAR_TO_MONTH("interval year to month"),
        BOOLEAN("boolean"),
        IPADDRESS("ipaddress"),
        IPPREFIX("ipprefix"),
        /** json. */
        JSON("json"),
        /** json, or varchar holding JSON text. */
        JSON_TEXT("json or varchar"),
        /** A value of any computable type; the arguments of one call share one type. */
        SAME("T"),
        /** A value of any computable type, each argument its own. */
        ANY("any"),
        /** An array of scalars (comparable elements); the arrays of one call share one element type. */
        ARRAY("array(T)"),
        /** An array of any computable type (arrays, maps and rows included). */
        ANY_ARRAY("array(T)"),
        /** A value of any computable type, arrays, maps and rows included; the values of one call share one type. */
        VALUE("T"),
        /** A value comparable with the elements of the call's first array (the keys of its first map). */
        ELEMENT("T"),
        /** A value of any computable type, arrays, maps and rows included, each argument its own. */
        FIELD("any"),
        /** A map of any computable types. */
        MAP("map(K, V)"),
        /** A lambda ({@code x -> ...}); its type is the type of its body. See {@link Lambdas}. */
        FUNCTION("function"),
        /** A lambda whose body is boolean. */
        PREDICATE("function(boolean)");

        final String display;

        Arg(String display)
        {
            this.display = display;
        }

        boolean accepts(Type type)
        {
            return switch (this) {
                case VARCHAR -> SqlTypes.isVarchar(type);
                case VARBINARY -> type.equals(Type.VARBINARY);
                case INTEGER -> SqlTypes.isIntegral(type);
                case DOUBLE, NUMBER -> SqlTypes.isNumeric(type) || Decimals.isDecimal(type);
                case DATETIME -> SqlTypes.isDate(type) || SqlTypes.isTimestamp(type);
                case TIMESTAMP -> SqlTypes.isTimestamp(type);
                case TIMESTAMP_TZ -> type instanceof Type.TimestampWithTimeZone;
                case TIME -> type instanceof Type.Time;
                case TIMESTAMP_OR_TIME -> type instanceof Type.Time || SqlTypes.isTimestamp(type);
                case INTERVAL_DAY_TO_SECOND -> type.equals(Type.INTERVAL_DAY_TO_SECOND);
                case INTERVAL_YEAR_TO_MONTH -> type.equals(Type.INTERVAL_YEAR_TO_MONTH);
                case BOOLEAN -> SqlTypes.isBoolean(type);
                case IPADDRESS -> type.equals(Type.IPADDRESS);
                case IPPREFIX -> type.equals(Type.IPPREFIX);
                case JSON -> type.equals(Type.JSON);
                case JSON_TEXT -> type.equals(Type.JSON) || SqlTypes.isVarchar(type);
                case SAME -> PhysicalType.of(type) != PhysicalType.OTHER && !type.equals(Type.VARBINARY);
                case ANY -> PhysicalType.of(type) != PhysicalType.OTHER;
                case ARRAY, ANY_ARRAY -> type instanceof Type.Array;
                case VALUE, FIELD -> Nested.computable(type);
                case ELEMENT -> true;
                case MAP -> type instanceof Type.MapType;
                case FUNCTION -> true;
                case PREDICATE -> SqlTypes.isBoolean(type);
            };
        }
    }

    interface Factory
    {
        /**
         * The evaluator over {@code arguments} (already converted as the signature says); {@code calls}
         * are the argument expressions (for constants), {@code type} the function's result type.
         */
        ValueEvaluator create(List<ValueEvaluator> arguments, List<Expression> calls, Type type);
    }

    record Definition(String name, List<Arg> arguments, boolean variadic, int constants, Function<List<Type>, Type> result,
                      Factory factory, String returns, String description, String difference)
    {
        boolean matches(List<Expression> actual)
        {
            if (variadic ? actual.size() < arguments.size() : actual.size() != arguments.size()) {
                return false;
            }
            Type same = null;
            for (int i = 0; i < actual.size(); i++) {
                Arg arg = arguments.get(Math.min(i, arguments.size() - 1));
                Type type = actual.get(i).type();
                if (!arg.accepts(type)) {
                    return false;
                }
                if (arg == Arg.SAME) {
                    if (same != null && !SqlTypes.comparable(same, type)) {
                        return false;
                    }
                    same = same == null ? type : same;
                }
                if ((constants & (1 << i)) != 0 && !(actual.get(i) instanceof Literal)) {
                    return false;
                }
            }
            return ArrayFunctions.elementsMatch(arguments, actual.stream().map(Expression::type).toList());
        }
    }

    /** A function as documentation shows it. */
    public record FunctionInfo(String name, String arguments, String returns, String description, String difference)
    {
        public FunctionInfo
        {
            requireNonNull(name, "name is null");
            requireNonNull(arguments, "arguments is null");
            requireNonNull(returns, "returns is null");
            requireNonNull(description, "description is null");
            requireNonNull(difference, "difference is null");
        }
    }

    /** Collects definitions. */
    static final class Builder
    {
        private final Map<String, List<Definition>> definitions = new LinkedHashMap<>();

        /** Registers {@code name(arguments)}; {@code constants} lists the argument indexes that must be literals. */
        Builder add(String name, List<Arg> arguments, Function<List<Type>, Type> result, String returns, String description, Factory factory, int... constants)
        {
            return add(name, arguments, false, result, returns, description, "", factory, constants);
        }

        Builder add(String name, List<Arg> arguments, boolean variadic, Function<List<Type>, Type> result, String returns, String description,
                String difference, Factory factory, int... constants)
        {
            int mask = 0;
            for (int constant : constants) {
                mask |= 1 << constant;
            }
            definitions.computeIfAbsent(name, _ -> new ArrayList<>())
                    .add(new Definition(name, List.copyOf(arguments), variadic, mask, result, factory, returns, description, difference));
            return this;
        }

        /** Another name for every definition of {@code name}. */
        Builder alias(String alias, String name)
        {
            List<Definition> aliased = new ArrayList<>();
            for (Definition d : definitions.get(name)) {
                aliased.add(new Definition(alias, d.arguments(), d.variadic(), d.constants(), d.result(), d.factory(), d.returns(),
                        "Same as `" + name + "`.", d.difference()));
            }
            definitions.put(alias, aliased);
            return this;
        }
    }

    private static final Map<String, List<Definition>> DEFINITIONS;

    static {
        Builder builder = new Builder();
        StringFunctions.register(builder);
        RegexpFunctions.register(builder);
        MathFunctions.register(builder);
        DateTimeFunctions.register(builder);
        TimestampWithTimeZoneFunctions.register(builder);
        TimeFunctions.register(builder);
        RowFunctions.register(builder);
        Uuids.register(builder);
        IpPrefixes.register(builder);
        WebFunctions.register(builder);
        BinaryFunctions.register(builder);
        JsonFunctions.register(builder);
        ArrayFunctions.register(builder);
        MapFunctions.register(builder);
        SingleRow.register(builder);
        Lambdas.register(builder);
        DEFINITIONS = Collections.unmodifiableMap(builder.definitions);
    }

    private FunctionRegistry() {}

    /** Every function, by name then signature, for documentation. */
    public static List<FunctionInfo> functions()
    {
        List<FunctionInfo> functions = new ArrayList<>();
        DEFINITIONS.keySet().stream().filter(FunctionRegistry::isPublic).sorted().forEach(name -> {
            for (Definition d : DEFINITIONS.get(name)) {
                List<String> args = new ArrayList<>();
                for (int i = 0; i < d.arguments().size(); i++) {
                    String text = d.arguments().get(i).display;
                    if ((d.constants() & (1 << i)) != 0) {
                        text += " constant";
                    }
                    args.add(text);
                }
                String arguments = String.join(", ", args) + (d.variadic() ? ", ..." : "");
                functions.add(new FunctionInfo(name, arguments, d.returns(), d.description(), d.difference()));
            }
        });
        return functions;
    }

    /** The names of all functions. */
    public static List<String> names()
    {
        return DEFINITIONS.keySet().stream().filter(FunctionRegistry::isPublic).sorted().toList();
    }

    /** Internal forms ({@code $subscript}, {@code $array}, ...) are functions the planner calls, not SQL names. */
    private static boolean isPublic(String name)
    {
        return !name.startsWith("$");
    }

    /**
     * The result type of {@code name(arguments)} as the registry computes it, or empty when no function
     * of that name accepts these arguments.
     */
    public static Optional<Type> resolve(String name, List<Expression> arguments)
    {
        return definition(name, arguments).map(d -> d.result().apply(arguments.stream().map(Expression::type).toList()));
    }

    /** Whether {@code name(arguments)} resolves and its value can be given {@code type}. */
    public static boolean supports(String name, List<Expression> arguments, Type type)
    {
        Optional<Type> natural = resolve(name, arguments);
        return natural.isPresent() && (natural.get().equals(type) || CastEvaluator.supported(natural.get(), type));
    }

    /** Whether the engine can evaluate {@code CAST(x AS target)} for x of type {@code source}. */
    public static boolean canCast(Type source, Type target)
    {
        if (Nested.isNested(source) || Nested.isNested(target)) {
            return CastEvaluator.supported(source, target);
        }
        return PhysicalType.of(source) != PhysicalType.OTHER && PhysicalType.of(target) != PhysicalType.OTHER && CastEvaluator.supported(source, target);
    }

    private static Optional<Definition> definition(String name, List<Expression> arguments)
    {
        List<Definition> candidates = DEFINITIONS.get(name.toLowerCase(Locale.ROOT));
        if (candidates == null) {
            return Optional.empty();
        }
        for (Definition candidate : candidates) {
            if (candidate.matches(arguments)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    static ValueEvaluator compile(ExpressionCompiler compiler, FunctionCall call)
    {
        Definition definition = definition(call.name(), call.arguments()).orElseThrow(() -> new GlauxException(ErrorCode.NOT_SUPPORTED,
                "Function " + call.name() + "(" + String.join(", ", call.arguments().stream().map(a -> a.type().trinoName()).toList()) + ") is not supported"));
        List<Type> argumentTypes = call.arguments().stream().map(Expression::type).toList();
        Type natural = definition.result().apply(argumentTypes);
        for (int i = 0; i < call.arguments().size(); i++) {
            if ((definition.constants() & (1 << i)) != 0 && ((Literal) call.arguments().get(i)).value() == null) {
                return new ConstantEvaluator(null, call.type());
            }
        }
        List<ValueEvaluator> arguments = new ArrayList<>();
        Type same = null;
        for (int i = 0; i < call.arguments().size(); i++) {
            if (definition.arguments().get(Math.min(i, definition.arguments().size() - 1)) == Arg.SAME) {
                same = same == null ? argumentTypes.get(i) : commonType(same, argumentTypes.get(i));
            }
        }
        for (int i = 0; i < call.arguments().size(); i++) {
            Arg arg = definition.arguments().get(Math.min(i, definition.arguments().size() - 1));
            ValueEvaluator value = compiler.value(call.arguments().get(i));
            if (arg == Arg.DOUBLE && !value.type.equals(Type.DOUBLE)) {
                value = CastEvaluator.of(value, Type.DOUBLE);
            }
            else if (arg == Arg.SAME && !value.type.equals(same)) {
                value = CastEvaluator.of(value, same);
            }
            else if (arg == Arg.ELEMENT) {
                value = ArrayFunctions.coerceElement(value, argumentTypes);
            }
            arguments.add(value);
        }
        if (same != null && natural.equals(argumentTypes.getFirst())) {
            natural = same;
        }
        ValueEvaluator evaluator = definition.factory().create(arguments, call.arguments(), natural);
        if (evaluator.type.equals(call.type())) {
            return evaluator;
        }
        return CastEvaluator.of(evaluator, call.type());
    }

    /** The type two values of a variadic argument are compared in. */
    static Type commonType(Type a, Type b)
    {
        if (a.equals(b)) {
            return a;
        }
        if (SqlTypes.isVarchar(a) && SqlTypes.isVarchar(b)) {
            return Type.VARCHAR;
        }
        if (SqlTypes.isFloating(a) || SqlTypes.isFloating(b)) {
            return Type.DOUBLE;
        }
        if (SqlTypes.isIntegral(a) && SqlTypes.isIntegral(b)) {
            return SqlTypes.maxValue(a) >= SqlTypes.maxValue(b) ? a : b;
        }
        if ((SqlTypes.isDate(a) || SqlTypes.isTimestamp(a)) && (SqlTypes.isDate(b) || SqlTypes.isTimestamp(b))) {
            return SqlTypes.isTimestamp(a) ? a : b;
        }
        if (Decimals.isDecimal(a) || Decimals.isDecimal(b)) {
            int scale = Math.max(Decimals.scale(a), Decimals.scale(b));
            int integer = Math.max(Decimals.precision(a) - Decimals.scale(a), Decimals.precision(b) - Decimals.scale(b));
            return new Type.Decimal(Math.min(38, integer + scale), scale);
        }
        return a;
    }

    // ------------------------------------------------------------------ helpers for definitions

    static List<Arg> args(Arg... args)
    {
        return List.of(args);
    }

    static Function<List<Type>, Type> returns(Type type)
    {
        return _ -> type;
    }

    static Function<List<Type>, Type> argument(int index)
    {
        return types -> types.get(index);
    }

    static Object constant(List<Expression> calls, int index)
    {
        return ((Literal) calls.get(index)).value();
    }

    static GlauxException invalidArgument(String message)
    {
        return new GlauxException(ErrorCode.INVALID_FUNCTION_ARGUMENT, message);
    }
}
