package io.glaux.coordinator.planner;

import org.apache.calcite.DataContexts;
import org.apache.calcite.rex.RexBuilder;
import org.apache.calcite.rex.RexCall;
import org.apache.calcite.rex.RexExecutor;
import org.apache.calcite.rex.RexExecutorImpl;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.rex.RexShuttle;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.type.SqlTypeUtil;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;
import org.apache.calcite.util.NlsString;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

/**
 * Calcite's constant folding with Trino's answers where Calcite's differ:
 * <ul>
 *   <li>{@code CAST(real AS decimal(p, s))} rounds half up from the real's shortest decimal text
 *       ({@code REAL 0.102} is {@code 0.102}, where Calcite's exact binary value gives {@code 0.101});</li>
 *   <li>integer arithmetic that overflows its type is not folded (Calcite's wraps around): the engine
 *       evaluates it and fails with NUMERIC_VALUE_OUT_OF_RANGE, as Trino does;</li>
 *   <li>nothing that computes a timestamp with time zone, a uuid, an ipaddress, an ipprefix or a json value is folded (the engine evaluates it);</li>
 *   <li>a registry function returning a bounded varchar is not folded, and a folded string is kept only
 *       when it is whole: Calcite measures varchar lengths in UTF-16 units and Trino in code points, so
 *       {@code chr(128512)} (a {@code varchar(1)}) would be cut in half.</li>
 * </ul>
 */
final class GlauxRexExecutor
        implements RexExecutor
{
    private final RexExecutorImpl delegate = new RexExecutorImpl(DataContexts.EMPTY);

    @Override
    public void reduce(RexBuilder rexBuilder, List<RexNode> constExps, List<RexNode> reducedValues)
    {
        List<RexNode> rewritten = new ArrayList<>(constExps.size());
        List<Integer> folded = new ArrayList<>();
        for (int i = 0; i < constExps.size(); i++) {
            if (!overflows(constExps.get(i)) && !boundedRegistryString(constExps.get(i)) && !withTimeZone(constExps.get(i))
                    && !DatetimeMinus.computesTimeOrInterval(constExps.get(i))) {
                folded.add(i);
                rewritten.add(constExps.get(i).accept(new RealToDecimal(rexBuilder)));
            }
        }
        List<RexNode> reduced = new ArrayList<>(rewritten.size());
        delegate.reduce(rexBuilder, rewritten, reduced);
        List<RexNode> values = new ArrayList<>(constExps);
        for (int k = 0; k < reduced.size(); k++) {
            int i = folded.get(k);
            RexNode value = reduced.get(k);
            values.set(i, value instanceof RexLiteral literal && splitsSurrogatePair(literal) ? constExps.get(i) : value);
        }
        reducedValues.addAll(values);
    }

    /**
     * Whether {@code expression} computes a timestamp with time zone anywhere: Calcite's executor has its
     * own representation of those (and no zone rules of Trino's); the engine evaluates them.
     */
    static boolean withTimeZone(RexNode expression)
    {
        if (expression.getType().getSqlTypeName() == SqlTypeName.TIMESTAMP_TZ || expression.getType().getSqlTypeName() == SqlTypeName.UUID
                || expression.getType() instanceof TrinoSqlType) {
            return true;
        }
        return expression instanceof RexCall call && call.getOperands().stream().anyMatch(GlauxRexExecutor::withTimeZone);
    }

    /** Whether integer arithmetic in {@code expression} overflows its type (then Calcite's folding would wrap around). */
    static boolean overflows(RexNode expression)
    {
        boolean[] overflow = {false};
        exact(expression, overflow);
        return overflow[0];
    }

    /** The exact value of an integer constant expression (null when not known); sets {@code overflow[0]} when a step leaves its type. */
    private static BigInteger exact(RexNode node, boolean[] overflow)
    {
        if (node instanceof RexLiteral literal) {
            if (literal.isNull() || !isIntegral(literal.getType().getSqlTypeName())) {
                return null;
            }
            BigDecimal value = literal.getValueAs(BigDecimal.class);
            return value == null ? null : value.toBigInteger();
        }
        if (!(node instanceof RexCall call)) {
            return null;
        }
        List<BigInteger> operands = new ArrayList<>();
        for (RexNode operand : call.getOperands()) {
            operands.add(exact(operand, overflow));
        }
        SqlTypeName type = call.getType().getSqlTypeName();
        if (!isIntegral(type) || operands.contains(null)) {
            return null;
        }
        BigInteger result = switch (call.getKind()) {
            case PLUS -> operands.size() == 2 ? operands.get(0).add(operands.get(1)) : null;
            case MINUS -> operands.size() == 2 ? operands.get(0).subtract(operands.get(1)) : null;
            case TIMES -> operands.size() == 2 ? operands.get(0).multiply(operands.get(1)) : null;
            case MINUS_PREFIX -> operands.getFirst().negate();
            case PLUS_PREFIX -> operands.getFirst();
            default -> null;
        };
        if (result != null && result.bitLength() >= bits(type)) {
            overflow[0] = true;
        }
        return result;
    }

    /**
     * Whether {@code expression} calls a registry function returning a bounded varchar ({@code chr} is
     * {@code varchar(1)}): its length counts code points, which Calcite's folding would cut as UTF-16 units.
     */
    static boolean boundedRegistryString(RexNode expression)
    {
        if (!(expression instanceof RexCall call)) {
            return false;
        }
        if (call.getOperator() instanceof SqlUserDefinedFunction && SqlTypeUtil.inCharFamily(call.getType())
                && call.getType().getPrecision() != RelDataType.PRECISION_NOT_SPECIFIED && call.getType().getPrecision() < Integer.MAX_VALUE) {
            return true;
        }
        return call.getOperands().stream().anyMatch(GlauxRexExecutor::boundedRegistryString);
    }

    private static boolean isIntegral(SqlTypeName type)
    {
        return type == SqlTypeName.TINYINT || type == SqlTypeName.SMALLINT || type == SqlTypeName.INTEGER || type == SqlTypeName.BIGINT;
    }

    private static int bits(SqlTypeName type)
    {
        return switch (type) {
            case TINYINT -> 8;
            case SMALLINT -> 16;
            case INTEGER -> 32;
            default -> 64;
        };
    }

    private static boolean splitsSurrogatePair(RexLiteral literal)
    {
        if (!(literal.getValue() instanceof NlsString string) || string.getValue() == null) {
            return false;
        }
        String value = string.getValue();
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c)) {
                if (i + 1 >= value.length() || !Character.isLowSurrogate(value.charAt(i + 1))) {
                    return true;
                }
                i++;
            }
            else if (Character.isLowSurrogate(c)) {
                return true;
            }
        }
        return false;
    }

    /** Folds each {@code CAST(real AS decimal)} of a constant as Trino casts it. */
    private final class RealToDecimal
            extends RexShuttle
    {
        private final RexBuilder rexBuilder;

        RealToDecimal(RexBuilder rexBuilder)
        {
            this.rexBuilder = rexBuilder;
        }

        @Override
        public RexNode visitCall(RexCall call)
        {
            RexNode visited = super.visitCall(call);
            if (!(visited instanceof RexCall cast) || cast.getKind() != SqlKind.CAST || cast.getType().getSqlTypeName() != SqlTypeName.DECIMAL) {
                return visited;
            }
            RexNode operand = cast.getOperands().getFirst();
            SqlTypeName from = operand.getType().getSqlTypeName();
            if (from != SqlTypeName.REAL && from != SqlTypeName.FLOAT) {
                return visited;
            }
            RexNode folded = operand;
            if (!(operand instanceof RexLiteral)) {
                List<RexNode> values = new ArrayList<>();
                delegate.reduce(rexBuilder, List.of(operand), values);
                folded = values.getFirst();
            }
            if (!(folded instanceof RexLiteral literal)) {
                return visited;
            }
            if (literal.isNull()) {
                return rexBuilder.makeNullLiteral(cast.getType());
            }
            Double value = literal.getValueAs(Double.class);
            if (value == null || value.isNaN() || value.isInfinite()) {
                return visited;
            }
            BigDecimal decimal = new BigDecimal(Float.toString(value.floatValue())).setScale(cast.getType().getScale(), RoundingMode.HALF_UP);
            if (decimal.precision() > cast.getType().getPrecision()) {
                // out of range: the engine reports it when the query runs
                return visited;
            }
            return rexBuilder.makeExactLiteral(decimal, cast.getType());
        }
    }
}
