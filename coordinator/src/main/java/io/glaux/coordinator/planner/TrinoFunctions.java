package io.glaux.coordinator.planner;

import static java.util.Objects.requireNonNull;

import io.glaux.engine.expr.FunctionRegistry;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.linq4j.tree.Expression;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.sql.SqlBasicTypeNameSpec;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlDataTypeSpec;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorTable;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.fun.SqlCase;
import org.apache.calcite.sql.fun.SqlLibraryOperators;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.SqlOperandMetadata;
import org.apache.calcite.sql.type.SqlOperandTypeChecker;
import org.apache.calcite.sql.type.SqlReturnTypeInference;
import org.apache.calcite.sql.type.SqlTypeFamily;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.util.SqlOperatorTables;
import org.apache.calcite.sql.util.SqlShuttle;
import org.apache.calcite.sql.validate.SqlNameMatcher;
import org.apache.calcite.sql.validate.SqlNameMatchers;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Trino's functions that Calcite lacks or defines differently: scalars implemented by
 * {@link TrinoScalarFunctions} and run on the coordinator (a filter using them is not pushed to the
 * workers), and aggregates rewritten into standard ones before validation.
 */
final class TrinoFunctions
{
    private static final SqlReturnTypeInference TIMESTAMP = nullable(ReturnTypes.explicit(SqlTypeName.TIMESTAMP, 3));
    private static final SqlReturnTypeInference VARCHAR = nullable(ReturnTypes.explicit(SqlTypeName.VARCHAR));
    private static final SqlReturnTypeInference BIGINT = nullable(ReturnTypes.explicit(SqlTypeName.BIGINT));
    private static final SqlReturnTypeInference DOUBLE = nullable(ReturnTypes.explicit(SqlTypeName.DOUBLE));
    private static final SqlReturnTypeInference BOOLEAN = nullable(ReturnTypes.explicit(SqlTypeName.BOOLEAN));

    private static final SqlTypeFamily STRING = SqlTypeFamily.CHARACTER;
    private static final SqlTypeFamily INTEGER = SqlTypeFamily.EXACT_NUMERIC;
    private static final SqlOperandTypeChecker STRING_1 = OperandTypes.family(STRING);
    private static final SqlOperandTypeChecker STRING_2 = OperandTypes.family(STRING, STRING);
    private static final SqlOperandTypeChecker STRING_3 = OperandTypes.family(STRING, STRING, STRING);

    private static final List<SqlOperator> SCALARS = List.of(
            // date and time
            // the parser reads date_trunc as its own syntax, so it is declared here; it runs as the registry's (timestamp with time zone included)
            scalar("date_trunc", nullable(ReturnTypes.ARG1), OperandTypes.family(STRING, SqlTypeFamily.DATE)
                    .or(OperandTypes.family(STRING, SqlTypeFamily.TIMESTAMP))
                    .or(OperandTypes.family(STRING, SqlTypeFamily.TIME))
                    .or(OperandTypes.sequence("date_trunc(unit, x)", OperandTypes.family(STRING), OperandTypes.typeName(SqlTypeName.TIMESTAMP_TZ))), "dateTrunc"),
            // date_add, date_diff, from_unixtime, to_unixtime, from_iso8601_timestamp and parse_datetime are the registry's
            // (they take or return timestamp with time zone)
            scalar("date_parse", TIMESTAMP, STRING_2, "dateParse"),
            scalar("date_format", VARCHAR, OperandTypes.family(SqlTypeFamily.TIMESTAMP, STRING), "dateFormat"),
            scalar("now", TIMESTAMP, OperandTypes.NILADIC, "now"),
            scalar("to_milliseconds", BIGINT, OperandTypes.family(SqlTypeFamily.INTERVAL_DAY_TIME), "toMilliseconds"),
            // strings
            scalar("regexp_like", BOOLEAN, STRING_2, "regexpLike"),
            scalar("regexp_extract", VARCHAR, STRING_2.or(OperandTypes.family(STRING, STRING, INTEGER)), "regexpExtract"),
            scalar("regexp_replace", VARCHAR, STRING_2.or(STRING_3), "regexpReplace"),
            scalar("split_part", VARCHAR, OperandTypes.family(STRING, STRING, INTEGER), "splitPart"),
            scalar("strpos", BIGINT, STRING_2, "strpos"),
            scalar("length", BIGINT, STRING_1, "length"),
            // concat of strings, or of arrays (the engine's; array(unknown) from ARRAY[] takes the other arrays' type)
            scalar("concat", binding -> binding.getOperandType(0).getSqlTypeName() == SqlTypeName.ARRAY
                            ? ReturnTypes.LEAST_RESTRICTIVE.inferReturnType(binding) : VARCHAR.inferReturnType(binding),
                    OperandTypes.repeat(SqlOperandCountRanges.from(2), OperandTypes.STRING).or(OperandTypes.repeat(SqlOperandCountRanges.from(2), OperandTypes.ARRAY)), "concat"),
            scalar("replace", VARCHAR, STRING_2.or(STRING_3), "replace"),
            scalar("starts_with", BOOLEAN, STRING_2, "startsWith"),
            scalar("url_extract_host", VARCHAR, STRING_1, "urlExtractHost"),
            scalar("url_extract_path", VARCHAR, STRING_1, "urlExtractPath"),
            scalar("url_extract_parameter", VARCHAR, STRING_2, "urlExtractParameter"));

    private static final Set<String> NAMES = SCALARS.stream().map(SqlOperator::getName).collect(Collectors.toUnmodifiableSet());

    private TrinoFunctions() {}

    /**
     * Registry functions that replace Calcite's function of the same name, whose types or semantics
     * differ from Trino's (Calcite's hashes, for one, take and return varchar).
     */
    private static final Set<String> REGISTRY_OVERRIDES = Set.of(
            "chr", "reverse", "translate", "soundex", "md5", "sha1", "sha256", "sha512", "to_hex", "from_hex", "to_base64", "from_base64",
            "format_datetime", "parse_datetime", "repeat", "map", "date_add", "date_diff", "from_unixtime", "to_unixtime");

    /**
     * These functions first (the Trino functions declared here, then every other function of the
     * engine's registry that {@code standard} lacks or that Trino defines differently), then
     * {@code standard} without the functions these replace.
     */
    static SqlOperatorTable withStandard(SqlOperatorTable standard)
    {
        List<String> registry = new ArrayList<>();
        for (String name : FunctionRegistry.names()) {
            if (NAMES.contains(name.toUpperCase(Locale.ROOT))) {
                continue;
            }
            List<SqlOperator> found = new ArrayList<>();
            standard.lookupOperatorOverloads(new SqlIdentifier(name.toUpperCase(Locale.ROOT), SqlParserPos.ZERO), null, SqlSyntax.FUNCTION, found,
                    SqlNameMatchers.withCaseSensitive(false));
            if (found.isEmpty() || REGISTRY_OVERRIDES.contains(name)) {
                registry.add(name);
            }
        }
        Set<String> hidden = new HashSet<>(NAMES);
        registry.forEach(name -> hidden.add(name.toUpperCase(Locale.ROOT)));
        hidden.add("TRY");
        return SqlOperatorTables.chain(SqlOperatorTables.of(SCALARS), SqlOperatorTables.of(LambdaSyntax.OPERATORS), SqlOperatorTables.of(ArraySyntax.EMPTY_ARRAY), SqlOperatorTables.of(RegistryOperators.operators(registry)),
                SqlOperatorTables.of(RegistryOperators.tryOperator(), RegistryOperators.typeofOperator(), SqlLibraryOperators.TRY_CAST), new Hiding(standard, Set.copyOf(hidden)));
    }

    /**
     * Rewrites Trino's aggregates into standard ones: {@code count_if(c)} is {@code count(CASE WHEN c THEN 1 END)},
     * {@code arbitrary(x)} is {@code min(x)} (one of the values, as Trino promises).
     */
    static SqlNode rewriteAggregates(SqlNode node)
    {
        return node.accept(new SqlShuttle()
        {
            @Override
            public SqlNode visit(SqlCall call)
            {
                SqlCall visited = (SqlCall) requireNonNull(super.visit(call), "visited is null");
                SqlOperator operator = visited.getOperator();
                if (operator.getSyntax() == SqlSyntax.FUNCTION && NAMES.contains(operator.getName().toUpperCase(Locale.ROOT)) && !SCALARS.contains(operator)) {
                    // the parser reads some names (date_trunc) as Calcite's functions of another dialect
                    SqlUnresolvedFunction function = new SqlUnresolvedFunction(new SqlIdentifier(operator.getName(), visited.getParserPosition()),
                            null, null, null, null, SqlFunctionCategory.USER_DEFINED_FUNCTION);
                    return function.createCall(visited.getParserPosition(), visited.getOperandList());
                }
                if (visited.getOperator().getSyntax() == SqlSyntax.FUNCTION && visited.getOperator().getName().equalsIgnoreCase("normalize")
                        && visited.operandCount() == 2 && visited.operand(1) instanceof SqlIdentifier form && form.isSimple()
                        && Set.of("NFC", "NFD", "NFKC", "NFKD").contains(form.getSimple().toUpperCase(Locale.ROOT))) {
                    // Trino's normalize(s, NFD): the form is a keyword, passed to the registry as a string
                    return visited.getOperator().createCall(visited.getParserPosition(), visited.operand(0),
                            SqlLiteral.createCharString(form.getSimple().toUpperCase(Locale.ROOT), form.getParserPosition()));
                }
                if (visited.getOperator().getSyntax() == SqlSyntax.FUNCTION && visited.operandCount() == 2
                        && (visited.getOperator().getName().equalsIgnoreCase("max") || visited.getOperator().getName().equalsIgnoreCase("min"))) {
                    // Trino's max(x, n) and min(x, n): the n largest (smallest) values
                    SqlUnresolvedFunction function = new SqlUnresolvedFunction(new SqlIdentifier(visited.getOperator().getName().equalsIgnoreCase("max") ? "MAX_N" : "MIN_N",
                            visited.getParserPosition()), null, null, null, null, SqlFunctionCategory.USER_DEFINED_FUNCTION);
                    return function.createCall(visited.getFunctionQuantifier(), visited.getParserPosition(), visited.getOperandList().toArray(SqlNode[]::new));
                }
                if (visited.getOperator().getSyntax() == SqlSyntax.FUNCTION && visited.getOperator().getName().equalsIgnoreCase("if")
                        && (visited.operandCount() == 2 || visited.operandCount() == 3)) {
                    // Trino's IF(condition, true_value[, false_value]) is a CASE
                    SqlParserPos pos = visited.getParserPosition();
                    return new SqlCase(pos, null, SqlNodeList.of(visited.operand(0)), SqlNodeList.of(visited.operand(1)),
                            visited.operandCount() == 3 ? visited.operand(2) : SqlLiteral.createNull(pos));
                }
                if (visited.getOperator().getSyntax() == SqlSyntax.FUNCTION && visited.getOperator().getName().equalsIgnoreCase("approx_percentile")
                        && visited.operandCount() >= 2 && visited.operand(visited.operandCount() - 1) instanceof SqlCall array
                        && array.getOperator().getKind() == SqlKind.ARRAY_VALUE_CONSTRUCTOR) {
                    // approx_percentile(x, ARRAY[0.5, 0.99]): the engine takes the percentiles as doubles
                    List<SqlNode> operands = new ArrayList<>(visited.getOperandList());
                    List<SqlNode> percentiles = new ArrayList<>();
                    for (SqlNode percentile : array.getOperandList()) {
                        percentiles.add(SqlStdOperatorTable.CAST.createCall(percentile.getParserPosition(), percentile,
                                new SqlDataTypeSpec(new SqlBasicTypeNameSpec(SqlTypeName.DOUBLE, percentile.getParserPosition()), percentile.getParserPosition())));
                    }
                    operands.set(operands.size() - 1, array.getOperator().createCall(array.getParserPosition(), percentiles));
                    return visited.getOperator().createCall(visited.getFunctionQuantifier(), visited.getParserPosition(), operands.toArray(new SqlNode[0]));
                }
                if (!(visited.getOperator().getSyntax() == SqlSyntax.FUNCTION && visited.getOperator().getKind() == SqlKind.OTHER_FUNCTION)
                        || visited.operandCount() != 1 || visited.getFunctionQuantifier() != null) {
                    return visited;
                }
                SqlParserPos pos = visited.getParserPosition();
                SqlNode operand = visited.operand(0);
                return switch (visited.getOperator().getName().toLowerCase(Locale.ROOT)) {
                    case "count_if" -> SqlStdOperatorTable.COUNT.createCall(pos,
                            new SqlCase(pos, null, SqlNodeList.of(operand), SqlNodeList.of(SqlLiteral.createExactNumeric("1", pos)), SqlLiteral.createNull(pos)));
                    case "arbitrary" -> SqlStdOperatorTable.MIN.createCall(pos, operand);
                    default -> visited;
                };
            }

            @Override
            public SqlNode visit(SqlNodeList nodeList)
            {
                return requireNonNull(super.visit(nodeList), "visited is null");
            }
        });
    }

    /** Function names the parser reads as its own syntax, quoted before parsing ({@link #quoteCalls}). */
    private static final List<String> QUOTED_CALLS = List.of("date_diff", "normalize", "corr", "regr_slope", "regr_intercept", "uuid", "filter");

    /**
     * Quotes each call of {@code date_diff} and {@code normalize} in {@code sql}, so that the parser
     * reads them as function calls: Trino's {@code date_diff(unit, a, b)}, not BigQuery's
     * {@code DATE_DIFF(a, b, unit)} (whose third argument must be a unit), and {@code normalize(s)},
     * which the parser reserves, like the aggregates {@code corr}, {@code regr_slope} and
     * {@code regr_intercept}. Strings, quoted identifiers and comments are left alone.
     */
    static String quoteCalls(String sql)
    {
        return quoteCalls(sql, new ArrayList<>());
    }

    /**
     * The place in {@code sql} as the user wrote it of {@code location}, a place in the text the parser
     * read ({@link #quoteCalls}): each quoted call before it on its line moved it two columns right.
     */
    static io.glaux.spi.error.ErrorLocation unquotedLocation(String sql, io.glaux.spi.error.ErrorLocation location)
    {
        List<Integer> offsets = new ArrayList<>();
        quoteCalls(sql, offsets);
        if (offsets.isEmpty()) {
            return location;
        }
        int shift = 0;
        for (int offset : offsets) {
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (sql.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            // column of the call in the parsed text: its column as written plus the quotes added before it on its line
            if (line == location.line() && offset - lineStart + 1 + shift < location.column()) {
                shift += 2;
            }
        }
        return shift == 0 ? location : new io.glaux.spi.error.ErrorLocation(location.line(), Math.max(1, location.column() - shift));
    }

    private static String quoteCalls(String sql, List<Integer> offsets)
    {
        String lower = sql.toLowerCase(Locale.ROOT);
        if (QUOTED_CALLS.stream().noneMatch(lower::contains)) {
            return sql;
        }
        StringBuilder out = new StringBuilder(sql.length() + 8);
        int i = 0;
        int n = sql.length();
        while (i < n) {
            char c = sql.charAt(i);
            int end;
            if (c == '\'' || c == '"' || c == '`') {
                end = i + 1;
                while (end < n) {
                    if (sql.charAt(end) == c) {
                        if (end + 1 < n && sql.charAt(end + 1) == c) {
                            end += 2;
                            continue;
                        }
                        end++;
                        break;
                    }
                    end++;
                }
            }
            else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                end = sql.indexOf('\n', i);
                end = end < 0 ? n : end;
            }
            else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                end = sql.indexOf("*/", i + 2);
                end = end < 0 ? n : end + 2;
            }
            else if (Character.isJavaIdentifierStart(c)) {
                end = i + 1;
                while (end < n && Character.isJavaIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                int next = end;
                while (next < n && Character.isWhitespace(sql.charAt(next))) {
                    next++;
                }
                boolean qualified = i > 0 && sql.charAt(i - 1) == '.';
                String word = sql.substring(i, end).toLowerCase(Locale.ROOT);
                if (next < n && sql.charAt(next) == '(' && !qualified && QUOTED_CALLS.contains(word) && !(word.equals("filter") && filterClause(sql, next + 1))) {
                    offsets.add(i);
                    out.append('"').append(word).append('"');
                    i = end;
                    continue;
                }
            }
            else {
                end = i + 1;
            }
            out.append(sql, i, end);
            i = end;
        }
        return out.toString();
    }

    /** Whether the text after {@code FILTER (} is an aggregate's {@code FILTER (WHERE ...)} clause, not Trino's {@code filter(array, x -> ...)}. */
    private static boolean filterClause(String sql, int from)
    {
        int i = from;
        while (i < sql.length() && Character.isWhitespace(sql.charAt(i))) {
            i++;
        }
        return sql.regionMatches(true, i, "where", 0, 5) && (i + 5 >= sql.length() || !Character.isJavaIdentifierPart(sql.charAt(i + 5)));
    }

    private static SqlReturnTypeInference nullable(SqlReturnTypeInference inference)
    {
        return inference.andThen(SqlTypeTransforms.FORCE_NULLABLE);
    }

    private static SqlOperator scalar(String name, SqlReturnTypeInference returnType, SqlOperandTypeChecker operands, String methodName)
    {
        List<Method> methods = Arrays.stream(TrinoScalarFunctions.class.getMethods())
                .filter(method -> method.getName().equals(methodName) && Modifier.isStatic(method.getModifiers()))
                .toList();
        if (methods.isEmpty()) {
            throw new IllegalArgumentException("no method " + methodName);
        }
        return new SqlUserDefinedFunction(new SqlIdentifier(name.toUpperCase(Locale.ROOT), SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION, returnType,
                null, new Operands(operands), new Implementation(methods), SqlFunctionCategory.USER_DEFINED_FUNCTION, SqlSyntax.FUNCTION)
        {
        };
    }

    /**
     * Calls the method whose parameters fit the operands' Java types ({@code date}: {@link Integer}
     * days, {@code timestamp}: {@link Long} millis, integers {@link Long}, other numbers
     * {@link Double}); NULL in, NULL out. A method taking {@code String[]} takes all operands.
     */
    private record Implementation(List<Method> methods)
            implements ImplementableFunction
    {
        @Override
        public List<FunctionParameter> getParameters()
        {
            return List.of();
        }

        @Override
        public CallImplementor getImplementor()
        {
            return RexImpTable.createImplementor((translator, call, operands) -> {
                Method method = method(call);
                Class<?>[] parameters = method.getParameterTypes();
                List<Expression> arguments = new ArrayList<>();
                if (parameters.length == 1 && parameters[0].isArray()) {
                    arguments.add(Expressions.newArrayInit(parameters[0].getComponentType(),
                            operands.stream().map(operand -> EnumUtils.convert(operand, parameters[0].getComponentType())).toList()));
                }
                else {
                    for (int i = 0; i < operands.size(); i++) {
                        arguments.add(EnumUtils.convert(operands.get(i), parameters[i]));
                    }
                }
                return Expressions.call(method, arguments);
            }, NullPolicy.STRICT, false);
        }

        private Method method(RexCall call)
        {
            List<RelDataType> types = call.getOperands().stream().map(RexNode::getType).toList();
            for (Method method : methods) {
                Class<?>[] parameters = method.getParameterTypes();
                if (parameters.length == 1 && parameters[0].isArray() || parameters.length == types.size() && fits(parameters, types)) {
                    return method;
                }
            }
            throw new IllegalStateException("no implementation of " + call.getOperator().getName() + " for " + types);
        }

        private static boolean fits(Class<?>[] parameters, List<RelDataType> types)
        {
            for (int i = 0; i < parameters.length; i++) {
                // an untyped NULL fits any parameter: the call is NULL without calling the method
                if (types.get(i).getSqlTypeName() != SqlTypeName.NULL && parameters[i] != javaType(types.get(i))) {
                    return false;
                }
            }
            return true;
        }

        private static Class<?> javaType(RelDataType type)
        {
            return switch (type.getSqlTypeName()) {
                case DATE -> Integer.class;
                case TIMESTAMP, TINYINT, SMALLINT, INTEGER, BIGINT -> Long.class;
                case INTERVAL_DAY, INTERVAL_DAY_HOUR, INTERVAL_DAY_MINUTE, INTERVAL_DAY_SECOND, INTERVAL_HOUR, INTERVAL_HOUR_MINUTE,
                     INTERVAL_HOUR_SECOND, INTERVAL_MINUTE, INTERVAL_MINUTE_SECOND, INTERVAL_SECOND -> Long.class;
                case DECIMAL, REAL, FLOAT, DOUBLE -> Double.class;
                case BOOLEAN -> Boolean.class;
                default -> String.class;
            };
        }
    }

    /** The operand checker without fixed parameter types, so the validator does not filter overloads by them. */
    private record Operands(SqlOperandTypeChecker checker)
            implements SqlOperandMetadata
    {
        @Override
        public boolean checkOperandTypes(SqlCallBinding callBinding, boolean throwOnFailure)
        {
            return checker.checkOperandTypes(callBinding, throwOnFailure);
        }

        @Override
        public SqlOperandCountRange getOperandCountRange()
        {
            return checker.getOperandCountRange();
        }

        @Override
        public String getAllowedSignatures(SqlOperator op, String opName)
        {
            return checker.getAllowedSignatures(op, opName);
        }

        @Override
        public List<RelDataType> paramTypes(RelDataTypeFactory typeFactory)
        {
            return List.of();
        }

        @Override
        public List<String> paramNames()
        {
            return List.of();
        }
    }

    /** An operator table without the functions named as ours. */
    private record Hiding(SqlOperatorTable delegate, Set<String> names)
            implements SqlOperatorTable
    {
        @Override
        public void lookupOperatorOverloads(SqlIdentifier opName, SqlFunctionCategory category, SqlSyntax syntax, List<SqlOperator> operatorList, SqlNameMatcher nameMatcher)
        {
            if (opName.isSimple() && syntax == SqlSyntax.FUNCTION && names.contains(opName.getSimple().toUpperCase(Locale.ROOT))) {
                return;
            }
            delegate.lookupOperatorOverloads(opName, category, syntax, operatorList, nameMatcher);
        }

        @Override
        public List<SqlOperator> getOperatorList()
        {
            return delegate.getOperatorList().stream()
                    .filter(operator -> operator.getSyntax() != SqlSyntax.FUNCTION || !names.contains(operator.getName()))
                    .toList();
        }
    }
}
