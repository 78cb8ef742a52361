package io.glaux.coordinator.planner;

import io.glaux.engine.expr.Expression;
import io.glaux.engine.expr.FunctionRegistry;
import io.glaux.spi.error.GlauxException;
import io.glaux.spi.type.Type;
import org.apache.calcite.adapter.enumerable.CallImplementor;
import org.apache.calcite.adapter.enumerable.EnumUtils;
import org.apache.calcite.adapter.enumerable.NullPolicy;
import org.apache.calcite.adapter.enumerable.RexImpTable;
import org.apache.calcite.jdbc.JavaTypeFactoryImpl;
import org.apache.calcite.linq4j.tree.Expressions;
import org.apache.calcite.rel.type.RelDataType;
import org.apache.calcite.rel.type.RelDataTypeFactory;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.schema.FunctionParameter;
import org.apache.calcite.schema.ImplementableFunction;
import org.apache.calcite.sql.SqlCallBinding;
import org.apache.calcite.sql.SqlFunctionCategory;
import org.apache.calcite.sql.SqlIdentifier;
import org.apache.calcite.sql.SqlKind;
import org.apache.calcite.sql.SqlOperandCountRange;
import org.apache.calcite.sql.SqlOperator;
import org.apache.calcite.sql.SqlOperatorBinding;
import org.apache.calcite.sql.SqlSyntax;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.sql.type.SqlOperandCountRanges;
import org.apache.calcite.sql.type.ReturnTypes;
import org.apache.calcite.sql.type.SqlOperandMetadata;
import org.apache.calcite.sql.type.SqlTypeTransforms;
import org.apache.calcite.sql.type.SqlTypeName;
import org.apache.calcite.sql.validate.SqlUserDefinedFunction;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Calcite operators for the engine's {@link FunctionRegistry}: the registry decides which arguments a
 * function takes and what it returns, and runs it — in the engine, or for Calcite's executor through
 * {@link EngineScalars}. So a function added to the registry is callable from SQL with no second
 * declaration.
 */
final class RegistryOperators
{
    /** What an untyped NULL argument is tried as, in order. */
    private static final List<Type> NULL_CANDIDATES = List.of(Type.VARCHAR, Type.BIGINT, Type.DOUBLE, Type.DATE, new Type.Timestamp(3),
            Type.BOOLEAN, Type.VARBINARY);

    private RegistryOperators() {}

    /** An operator for each registry function named in {@code names}. */
    static List<SqlOperator> operators(List<String> names)
    {
        return names.stream().map(RegistryOperators::operator).toList();
    }

    /**
     * {@code TRY(x)}: x, or NULL for the rows where evaluating x fails with a data error (division by
     * zero, an invalid cast or function argument, an overflow). The engine runs it: it is not
     * folded while planning (Calcite's constant folding would evaluate x alone, where an error is
     * not caught), even over constants.
     */
    static SqlOperator tryOperator()
    {
        return new SqlUserDefinedFunction(new SqlIdentifier("TRY", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
                ReturnTypes.ARG0.andThen(SqlTypeTransforms.FORCE_NULLABLE), null,
                new OneOperand(),
                new Identity(), SqlFunctionCategory.USER_DEFINED_FUNCTION, SqlSyntax.FUNCTION)
        {
            @Override
            public boolean isDeterministic()
            {
                return false;
            }
        };
    }

    /** {@code typeof(x)}: the Trino name of x's type, a varchar constant of the query. */
    static SqlOperator typeofOperator()
    {
        return new SqlUserDefinedFunction(new SqlIdentifier("TYPEOF", SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
                ReturnTypes.VARCHAR, null, new OneOperand(), new TypeName(), SqlFunctionCategory.USER_DEFINED_FUNCTION, SqlSyntax.FUNCTION)
        {
        };
    }

    /** The operand's Trino type name as a constant. */
    private record TypeName()
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
            return RexImpTable.createImplementor((translator, call, operands) -> Expressions.constant(TypeMapping.trinoName(call.getOperands().getFirst().getType())),
                    NullPolicy.NONE, false);
        }
    }

    private static SqlOperator operator(String name)
    {
        return new SqlUserDefinedFunction(new SqlIdentifier(name.toUpperCase(Locale.ROOT), SqlParserPos.ZERO), SqlKind.OTHER_FUNCTION,
                binding -> {
                    Type type = resolve(name, binding).orElseThrow(() -> new IllegalStateException("no signature of " + name));
                    return TypeMapping.toRelType(binding.getTypeFactory(), type);
                },
                null, new Operands(name), new Implementation(name), SqlFunctionCategory.USER_DEFINED_FUNCTION, SqlSyntax.FUNCTION)
        {
            @Override
            public boolean isDeterministic()
            {
                // uuid() is a new value for every row: never folded to one constant
                return !name.equals("uuid");
            }
        };
    }

    /**
     * The result type of {@code name} over the binding's operands. Every operand counts as a constant:
     * a call whose pattern or unit is not one still validates, and runs by Calcite's executor.
     */
    private static Optional<Type> resolve(String name, SqlOperatorBinding binding)
    {
        List<Optional<Type>> types = new ArrayList<>();
        // ARRAY[] (array(unknown)) takes the type of the call's other arrays: array_union(ARRAY[], a)
        RelDataType typedArray = null;
        for (int i = 0; i < binding.getOperandCount() && typedArray == null; i++) {
            RelDataType type = binding.getOperandType(i);
            if (type.getSqlTypeName() == SqlTypeName.ARRAY && type.getComponentType().getSqlTypeName() != SqlTypeName.NULL) {
                typedArray = type;
            }
        }
        for (int i = 0; i < binding.getOperandCount(); i++) {
            RelDataType type = binding.getOperandType(i);
            if (type.getSqlTypeName() == SqlTypeName.NULL) {
                types.add(Optional.empty());
                continue;
            }
            if (typedArray != null && type.getSqlTypeName() == SqlTypeName.ARRAY && type.getComponentType().getSqlTypeName() == SqlTypeName.NULL) {
                type = typedArray;
            }
            try {
                types.add(Optional.of(TypeMapping.fromRelType(type)));
            }
            catch (GlauxException e) {
                return Optional.empty();
            }
        }
        return resolve(name, types, 0, new ArrayList<>());
    }

    private static Optional<Type> resolve(String name, List<Optional<Type>> types, int index, List<Expression> arguments)
    {
        if (index == types.size()) {
            return FunctionRegistry.resolve(name, arguments);
        }
        List<Type> candidates = types.get(index).map(List::of).orElse(NULL_CANDIDATES);
        for (Type candidate : candidates) {
            arguments.add(new Expression.Literal(null, candidate));
            Optional<Type> resolved = resolve(name, types, index + 1, arguments);
            arguments.removeLast();
            if (resolved.isPresent()) {
                return resolved;
            }
        }
        return Optional.empty();
    }

    private record Operands(String name)
            implements SqlOperandMetadata
    {
        @Override
        public boolean checkOperandTypes(SqlCallBinding callBinding, boolean throwOnFailure)
        {
            if (resolve(name, callBinding).isPresent()) {
                return true;
            }
            if (throwOnFailure) {
                throw callBinding.newValidationSignatureError();
            }
            return false;
        }

        @Override
        public SqlOperandCountRange getOperandCountRange()
        {
            return SqlOperandCountRanges.any();
        }

        @Override
        public String getAllowedSignatures(SqlOperator op, String opName)
        {
            return FunctionRegistry.functions().stream()
                    .filter(function -> function.name().equals(name))
                    .map(function -> name + "(" + function.arguments() + ")")
                    .collect(Collectors.joining("\n"));
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

    /** Exactly one operand, of any type. */
    private record OneOperand()
            implements SqlOperandMetadata
    {
        @Override
        public boolean checkOperandTypes(SqlCallBinding callBinding, boolean throwOnFailure)
        {
            return true;
        }

        @Override
        public SqlOperandCountRange getOperandCountRange()
        {
            return SqlOperandCountRanges.of(1);
        }

        @Override
        public String getAllowedSignatures(SqlOperator op, String opName)
        {
            return opName + "(<ANY>)";
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

    /** The operand itself. */
    private record Identity()
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
            return RexImpTable.createImplementor((translator, call, operands) -> operands.getFirst(), NullPolicy.NONE, false);
        }
    }

    /** Generated code calls {@link EngineScalars#call} with the operands boxed; NULL in, NULL out. */
    private record Implementation(String name)
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
                List<Type> types = call.getOperands().stream().map(RexNode::getType).map(TypeMapping::fromRelType).toList();
                Type result = FunctionRegistry.resolve(name, types.stream().<Expression>map(type -> new Expression.Literal(null, type)).toList())
                        .orElseThrow(() -> new IllegalStateException("no signature of " + name + " for " + types));
                int id = EngineScalars.signature(name, types, result, call.getType().getSqlTypeName());
                Class<?> javaClass = (Class<?>) new JavaTypeFactoryImpl().getJavaClass(call.getType());
                return EnumUtils.convert(Expressions.call(EngineScalars.class, "call", Expressions.constant(id),
                        Expressions.newArrayInit(Object.class, operands.stream().map(operand -> EnumUtils.convert(operand, Object.class)).toList())), javaClass);
            }, NullPolicy.STRICT, false);
        }
    }
}
