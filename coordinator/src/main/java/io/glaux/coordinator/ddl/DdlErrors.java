package io.glaux.coordinator.ddl;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;
import org.apache.calcite.sql.parser.SqlParserPos;

/** Errors of DDL statements, positioned in the statement's text. */
final class DdlErrors
{
    private DdlErrors() {}

    static GlauxException error(ErrorCode code, SqlParserPos pos, String message)
    {
        return new GlauxException(code, location(pos), message, null);
    }

    static ErrorLocation location(SqlParserPos pos)
    {
        return new ErrorLocation(Math.max(1, pos.getLineNum()), Math.max(1, pos.getColumnNum()));
    }

    /** The same error at {@code pos} when it has no position yet (errors from the catalog). */
    static GlauxException positioned(GlauxException e, SqlParserPos pos)
    {
        if (e.location().isPresent()) {
            return e;
        }
        return new GlauxException(e.errorCode(), location(pos), e.rawMessage(), e);
    }
}
