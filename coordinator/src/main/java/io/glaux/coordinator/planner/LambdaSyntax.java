package io.glaux.coordinator.planner;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.sql.SqlBasicCall;
import org.apache.calcite.sql.SqlCall;
import org.apache.calcite.sql.SqlFunction;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlLambda;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNodeList;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlUnresolvedFunction;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.OperandTypes;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.util.SqlShuttle;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Trino's lambdas ({@code transform(a, x -> x + 1)}), made plain expressions before validation. Calcite
 * 1.42 parses lambdas but its validator does not let a lambda read the columns of the row, which Trino
 * allows. So each lambda passed to one of the engine's lambda functions becomes {@code $LAMBDA(id, body)}
 * and each use of one of its parameters in the body {@code $LAMBDA_VARIABLE(id, index, kind, source)},
 * typed from {@code source} (a copy of the argument the parameter ranges over: an array's element, a
 * map's key or value, or reduce's state). The body is then an ordinary expression of the row: the
 * validator resolves the columns it captures as usual, and the engine evaluates it over the elements
 * (see the engine's {@code Lambdas}). Both operators are non-deterministic, so nothing folds or moves a
 * parameter out of its lambda.
 */
final class LambdaSyntax
{
    /** What a parameter's type is taken from. */
    private static final int ELEMENT = 0;
    private static final int KEY = 1;
    private static final int VALUE = 2;
    private static final int STATE = 3;
    /** regexp_replace's capturing groups: always array(varchar). */
    private static final int GROUPS = 4;

    /** Per function: its arity, then per lambda argument its position and its parameters as (kind, source argument) pairs. */
    private record Signature(int arity, String display, Map<Integer, int[]> lambdas) {}

    private static final Map<String, Signature> SIGNATURES = Map.ofEntries(
            Map.entry("transform", new Signature(2, "transform(array(T), function(T, U))", Map.of(1, new int[] {ELEMENT, 0}))),
            Map.entry("filter", new Signature(2, "filter(array(T), function(T, boolean))", Map.of(1, new int[] {ELEMENT, 0}))),
            Map.entry("any_match", new Signature(2, "any_match(array(T), function(T, boolean))", Map.of(1, new int[] {ELEMENT, 0}))),
            Map.entry("all_match", new Signature(2, "all_match(array(T), function(T, boolean))", Map.of(1, new int[] {ELEMENT, 0}))),
            Map.entry("none_match", new Signature(2, "none_match(array(T), function(T, boolean))", Map.of(1, new int[] {ELEMENT, 0}))),
            Map.entry("array_sort", new Signature(2, "array_sort(array(T), function(T, T, integer))", Map.of(1, new int[] {ELEMENT, 0, ELEMENT, 0}))),
            Map.entry("zip_with", new Signature(3, "zip_with(array(T), array(U), function(T, U, R))", Map.of(2, new int[] {ELEMENT, 0, ELEMENT, 1}))),
            Map.entry("map_filter", new Signature(2, "map_filter(map(K, V), function(K, V, boolean))", Map.of(1, new int[] {KEY, 0, VALUE, 0}))),
            Map.entry("transform_keys", new Signature(2, "transform_keys(map(K, V), function(K, V, K2))", Map.of(1, new int[] {KEY, 0, VALUE, 0}))),
            Map.entry("transform_values", new Signature(2, "transform_values(map(K, V), function(K, V, V2))", Map.of(1, new int[] {KEY, 0, VALUE, 0}))),
            Map.entry("regexp_replace", new Signature(3, "regexp_replace(varchar, varchar, function(array(varchar), varchar))", Map.of(2, new int[] {GROUPS, 0}))),
            Map.entry("reduce", new Signature(4, "reduce(array(T), S, function(S, T, S), function(S, R))",
                    Map.of(2, new int[] {STATE, 1, ELEMENT, 0}, 3, new int[] {STATE, 1}))));

    static final SqlOperator LAMBDA = new SqlFunction("$LAMBDA", SqlKind.OTHER_FUNCTION,
            binding -> binding.getOperandType(1), null, OperandTypes.ANY_ANY, SqlFunctionCategory.USER_DEFINED_FUNCTION)
    {
        @Override
        public boolean isDeterministic()
        {
            return false;
        }
    };

    static final SqlOperator VARIABLE = new SqlFunction("$LAMBDA_VARIABLE", SqlKind.OTHER_FUNCTION,
            LambdaSyntax::variableType, null, OperandTypes.VARIADIC, SqlFunctionCategory.USER_DEFINED_FUNCTION)
    {
        @Override
        public boolean isDeterministic()
        {
            return false;
        }
    };

    static final List<SqlOperator> OPERATORS = List.of(LAMBDA, VARIABLE);

    private LambdaSyntax() {}

    /** Whether {@code name} is a function that takes lambdas. */
    static boolean isLambdaFunction(String name)
    {
        return SIGNATURES.containsKey(name.toLowerCase(Locale.ROOT));
    }

    /** Rewrites the lambdas of {@code statement} (see the class comment). */
    static SqlNode rewrite(SqlNode statement)
    {
        return statement.accept(new Rewriter(Map.of(), new int[1]));
    }

    /** The type of reduce's state for an initial value of {@code type}: integers widen to bigint, decimals to precision 38. */
    static RelDataType stateType(RelDataTypeFactory factory, RelDataType type)
    {
        RelDataType widened = switch (type.getSqlTypeName()) {
            case TINYINT, SMALLINT, INTEGER -> factory.createSqlType(SqlTypeName.BIGINT);
            case DECIMAL -> factory.createSqlType(SqlTypeName.DECIMAL, 38, type.getScale());
            default -> type;
        };
        return factory.createTypeWithNullability(widened, true);
    }

    private static RelDataType variableType(SqlOperatorBinding binding)
    {
        RelDataTypeFactory factory = binding.getTypeFactory();
        int kind = binding.getOperandLiteralValue(2, Integer.class);
        RelDataType source = binding.getOperandType(3);
        RelDataType type = switch (kind) {
            case ELEMENT -> source.getComponentType();
            case KEY -> source.getSqlTypeName() == SqlTypeName.MAP ? source.getKeyType() : null;
            case VALUE -> source.getSqlTypeName() == SqlTypeName.MAP ? source.getValueType() : null;
            case GROUPS -> TypeMapping.toRelType(factory, new io.glaux.spi.type.Type.Array(io.glaux.spi.type.Type.VARCHAR));
            default -> source.getSqlTypeName() == SqlTypeName.NULL ? null : stateType(factory, source);
        };
        if (type == null) {
            // the argument is not an array (a map): the function's own check reports it
            type = factory.createSqlType(SqlTypeName.BOOLEAN);
        }
        return factory.createTypeWithNullability(type, true);
    }

    private static GlauxException error(SqlParserPos pos, String message)
    {
        return new GlauxException(ErrorCode.FUNCTION_NOT_FOUND, new ErrorLocation(Math.max(1, pos.getLineNum()), Math.max(1, pos.getColumnNum())),
                message, null);
    }

    private static final class Rewriter
            extends SqlShuttle
    {
        /** The parameters in scope, by lower-case name: each makes a fresh node at a position. */
        private final Map<String, Function<SqlParserPos, SqlNode>> parameters;
        private final int[] ids;

        Rewriter(Map<String, Function<SqlParserPos, SqlNode>> parameters, int[] ids)
        {
            this.parameters = parameters;
            this.ids = ids;
        }

        @Override
        public SqlNode visit(SqlIdentifier identifier)
        {
            if (identifier.isSimple()) {
                Function<SqlParserPos, SqlNode> parameter = parameters.get(identifier.getSimple().toLowerCase(Locale.ROOT));
                if (parameter != null) {
                    return parameter.apply(identifier.getParserPosition());
                }
            }
            return identifier;
        }

        @Override
        public SqlNode visit(SqlCall call)
        {
            if (call instanceof SqlLambda lambda) {
                throw error(lambda.getParserPosition(), "Lambda expressions are only allowed as arguments of "
                        + String.join(", ", SIGNATURES.keySet().stream().sorted().toList()));
            }
            String name = call.getOperator() instanceof SqlUnresolvedFunction function ? function.getName().toLowerCase(Locale.ROOT) : null;
            Signature signature = name == null ? null : SIGNATURES.get(name);
            if (signature == null || call.getOperandList().stream().noneMatch(operand -> operand instanceof SqlLambda)) {
                return super.visit(call);
            }
            List<SqlNode> operands = call.getOperandList();
            if (operands.size() != signature.arity()) {
                throw error(call.getParserPosition(), "Unexpected parameters for function " + name + ". Expected: " + signature.display());
            }
            List<SqlNode> rewritten = new ArrayList<>();
            for (int i = 0; i < operands.size(); i++) {
                SqlNode operand = operands.get(i);
                boolean lambdaExpected = signature.lambdas().containsKey(i);
                if ((operand instanceof SqlLambda) != lambdaExpected) {
                    throw error(operand.getParserPosition(), "Unexpected parameters for function " + name + ". Expected: " + signature.display());
                }
                rewritten.add(lambdaExpected ? null : operand.accept(this));
            }
            for (Map.Entry<Integer, int[]> entry : signature.lambdas().entrySet()) {
                SqlLambda lambda = (SqlLambda) operands.get(entry.getKey());
                int[] kinds = entry.getValue();
                SqlNodeList names = lambda.getParameters();
                if (names.size() != kinds.length / 2) {
                    throw error(lambda.getParserPosition(), "Unexpected parameters for function " + name + ". Expected: " + signature.display());
                }
                int id = ++ids[0];
                Map<String, Function<SqlParserPos, SqlNode>> scope = new HashMap<>(parameters);
                for (int p = 0; p < names.size(); p++) {
                    int index = p;
                    int kind = kinds[2 * p];
                    SqlNode source = rewritten.get(kinds[2 * p + 1]);
                    scope.put(((SqlIdentifier) names.get(p)).getSimple().toLowerCase(Locale.ROOT),
                            pos -> VARIABLE.createCall(pos, number(id, pos), number(index, pos), number(kind, pos), copy(source)));
                }
                SqlNode body = lambda.getExpression().accept(new Rewriter(scope, ids));
                rewritten.set(entry.getKey(), LAMBDA.createCall(lambda.getParserPosition(), number(id, lambda.getParserPosition()), body));
            }
            return call.getOperator().createCall(call.getFunctionQuantifier(), call.getParserPosition(), rewritten.toArray(SqlNode[]::new));
        }
    }

    private static SqlNode number(int value, SqlParserPos pos)
    {
        return SqlLiteral.createExactNumeric(Integer.toString(value), pos);
    }

    /** A deep copy of an expression (the validator keeps a type per node). */
    private static SqlNode copy(SqlNode node)
    {
        return node.accept(new SqlShuttle()
        {
            @Override
            public SqlNode visit(SqlIdentifier identifier)
            {
                return identifier.clone(identifier.getParserPosition());
            }

            @Override
            public SqlNode visit(SqlLiteral literal)
            {
                return SqlNode.clone(literal);
            }

            @Override
            public SqlNode visit(SqlCall call)
            {
                if (!(call instanceof SqlBasicCall)) {
                    return call.clone(call.getParserPosition());
                }
                List<SqlNode> operands = new ArrayList<>();
                for (SqlNode operand : call.getOperandList()) {
                    operands.add(operand == null ? null : operand.accept(this));
                }
                return call.getOperator().createCall(call.getFunctionQuantifier(), call.getParserPosition(), operands.toArray(SqlNode[]::new));
            }
        });
    }
}
