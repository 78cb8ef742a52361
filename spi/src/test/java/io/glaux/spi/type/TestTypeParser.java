package io.glaux.spi.type;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.GlauxException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class TestTypeParser
{
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "string|varchar|string",
            "int|integer|int",
            "INTEGER|integer|int",
            "bigint|bigint|bigint",
            "float|real|float",
            "double precision|double|double",
            "varchar(20)|varchar(20)|varchar(20)",
            "char(3)|varchar(3)|varchar(3)",
            "decimal(10,2)|decimal(10,2)|decimal(10,2)",
            "timestamp|timestamp(3)|timestamp",
            "array<string>|array(varchar)|array<string>",
            "map<string,int>|map(varchar, integer)|map<string,int>",
            "struct<a:int,b:array<struct<c:string>>>|row(a integer, b array(row(c varchar)))|struct<a:int,b:array<struct<c:string>>>",
            "row(a integer, b varchar)|row(a integer, b varchar)|struct<a:int,b:string>",
            "array(map(varchar, bigint))|array(map(varchar, bigint))|array<map<string,bigint>>"})
    void parsesBothSpellings(String text, String trino, String hive)
    {
        Type type = TypeParser.parse(text);
        assertThat(type.trinoName()).isEqualTo(trino);
        assertThat(type.hiveName()).isEqualTo(hive);
        assertThat(TypeParser.parse(type.hiveName())).isEqualTo(type);
        assertThat(TypeParser.parse(type.trinoName())).isEqualTo(type);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "uniontype<int,string>", "array<int", "map<string>", "decimal(a)", "struct<a int>", "int extra"})
    void rejectsBadTypes(String text)
    {
        assertThatThrownBy(() -> TypeParser.parse(text))
                .isInstanceOfSatisfying(GlauxException.class, e -> assertThat(e.errorCode()).isEqualTo(ErrorCode.TYPE_MISMATCH))
                .hasMessageContaining("Invalid type");
    }
}
