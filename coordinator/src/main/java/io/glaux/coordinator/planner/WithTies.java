package io.glaux.coordinator.planner;

import io.glaux.spi.error.ErrorCode;
import io.glaux.spi.error.ErrorLocation;
import io.glaux.spi.error.GlauxException;
import org.apache.calcite.rel.RelFieldCollation;
import org.apache.calcite.rel.RelNode;
import org.apache.calcite.rel.core.Sort;
import org.apache.calcite.rel.logical.LogicalSort;
import org.apache.calcite.rex.RexLiteral;
import org.apache.calcite.rex.RexNode;
import org.apache.calcite.sql.SqlLiteral;
import org.apache.calcite.sql.SqlNode;
import org.apache.calcite.sql.SqlNumericLiteral;
import org.apache.calcite.sql.SqlOrderBy;
import org.apache.calcite.sql.SqlSelect;
import org.apache.calcite.sql.fun.SqlStdOperatorTable;
import org.apache.calcite.sql.parser.SqlParserPos;
import org.apache.calcite.tools.RelBuilder;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code FETCH FIRST n ROWS WITH TIES}, which Calcite's grammar lacks. Before parsing, {@code WITH TIES}
 * after a {@code FETCH} becomes {@code ONLY} padded to the same length (so error columns stay right), and
 * the parsed query's fetch count is marked. The converted plan's top sort then becomes: rank the rows
 * by the sort keys, keep those ranked at most {@code offset + n}, and sort them (skipping {@code offset}).
 */
final class WithTies
{
    private WithTies() {}

    /** The position of a FETCH count that has WITH TIES: it survives the validator's copies of the literal. */
    private static final class TiesPos
            extends SqlParserPos
    {
        TiesPos(SqlParserPos pos)
        {
            super(pos.getLineNum(), pos.getColumnNum(), pos.getEndLineNum(), pos.getEndColumnNum());
        }
    }

    /** The text with each {@code WITH TIES} of a FETCH clause written as {@code ONLY}; the offsets of those replaced go to {@code found}. */
    static String rewrite(String sql, List<Integer> found)
    {
        String lower = sql.toLowerCase(Locale.ROOT);
        if (!lower.contains("ties")) {
            return sql;
        }
        List<int[]> words = words(sql);
        char[] text = sql.toCharArray();
        for (int i = 0; i + 1 < words.size(); i++) {
            int[] with = words.get(i);
            int[] ties = words.get(i + 1);
            // ROW may follow the count 1 that withFetchCount wrote without a blank ("1row")
            String row = i > 0 ? word(lower, words.get(i - 1)).replaceFirst("^1", "") : "";
            if (word(lower, with).equals("with") && word(lower, ties).equals("ties") && (row.equals("rows") || row.equals("row"))) {
                text[with[0]] = 'O';
                text[with[0] + 1] = 'N';
                text[with[0] + 2] = 'L';
                text[with[0] + 3] = 'Y';
                for (int j = ties[0]; j < ties[1]; j++) {
                    text[j] = ' ';
                }
                found.add(with[0]);
            }
        }
        return found.isEmpty() ? sql : new String(text);
    }

    /**
     * {@code FETCH FIRST ROW ONLY} (Trino's count defaults to one, Calcite's grammar needs it): the text
     * with a count of 1 before the ROW or ROWS of each FETCH that has none, written so that every other
     * word keeps its line and column (error positions stay right): the last of several blanks before ROW
     * becomes {@code 1} ({@code FIRST  ROW} → {@code FIRST 1ROW}), or {@code FIRST ROW} becomes
     * {@code NEXT 1ROW}; only {@code NEXT ROW} and a line break right before ROW get {@code 1 } inserted.
     */
    static String withFetchCount(String sql)
    {
        String lower = sql.toLowerCase(Locale.ROOT);
        if (!lower.contains("fetch")) {
            return sql;
        }
        List<int[]> words = words(sql);
        StringBuilder text = new StringBuilder(sql);
        for (int i = words.size() - 3; i >= 0; i--) {
            String first = word(lower, words.get(i + 1));
            String row = word(lower, words.get(i + 2));
            int blankStart = words.get(i + 1)[1];
            int rowStart = words.get(i + 2)[0];
            if (word(lower, words.get(i)).equals("fetch") && (first.equals("first") || first.equals("next")) && (row.equals("row") || row.equals("rows"))
                    && sql.substring(blankStart, rowStart).isBlank()) {
                char last = sql.charAt(rowStart - 1);
                boolean sameLine = last != '\n' && last != '\r';
                if (rowStart - blankStart >= 2 && sameLine) {
                    text.setCharAt(rowStart - 1, '1');
                }
                else if (first.equals("first") && sameLine) {
                    text.replace(words.get(i + 1)[0], rowStart, "NEXT 1");
                }
                else {
                    text.insert(rowStart, "1 ");
                }
            }
        }
        return text.toString();
    }

    private static String word(String lower, int[] span)
    {
        return lower.substring(span[0], span[1]);
    }

    /** The spans of the words of {@code sql} outside strings, quoted identifiers and comments. */
    private static List<int[]> words(String sql)
    {
        List<int[]> words = new ArrayList<>();
        int n = sql.length();
        int i = 0;
        while (i < n) {
            char c = sql.charAt(i);
            if (c == '\'' || c == '"' || c == '`') {
                int end = i + 1;
                while (end < n && sql.charAt(end) != c) {
                    end++;
                }
                i = end + 1;
            }
            else if (c == '-' && i + 1 < n && sql.charAt(i + 1) == '-') {
                int end = sql.indexOf('\n', i);
                i = end < 0 ? n : end;
            }
            else if (c == '/' && i + 1 < n && sql.charAt(i + 1) == '*') {
                int end = sql.indexOf("*/", i + 2);
                i = end < 0 ? n : end + 2;
            }
            else if (Character.isJavaIdentifierStart(c)) {
                int end = i + 1;
                while (end < n && Character.isJavaIdentifierPart(sql.charAt(end))) {
                    end++;
                }
                words.add(new int[] {i, end});
                i = end;
            }
            else {
                i++;
            }
        }
        return words;
    }

    /**
     * Marks the fetch count of the statement's outermost ORDER BY as WITH TIES; a WITH TIES anywhere
     * else (a subquery, a view definition inside DDL) is refused rather than read as ONLY.
     */
    static SqlNode mark(SqlNode parsed, String sql, List<Integer> found)
    {
        if (found.size() == 1 && parsed instanceof SqlOrderBy orderBy && orderBy.fetch instanceof SqlNumericLiteral count) {
            SqlNode fetch = SqlLiteral.createExactNumeric(count.toValue(), new TiesPos(count.getParserPosition()));
            return new SqlOrderBy(orderBy.getParserPosition(), orderBy.query, orderBy.orderList, orderBy.offset, fetch);
        }
        int offset = found.getFirst();
        int line = 1;
        int column = 1;
        for (int i = 0; i < offset; i++) {
            if (sql.charAt(i) == '\n') {
                line++;
                column = 1;
            }
            else {
                column++;
            }
        }
        throw new GlauxException(ErrorCode.NOT_SUPPORTED, new ErrorLocation(line, column),
                "FETCH FIRST ... WITH TIES is supported on the outermost query, with a literal row count", null);
    }

    /** Whether a validated query's outermost FETCH has WITH TIES. */
    static boolean isMarked(SqlNode validated)
    {
        SqlNode fetch = switch (validated) {
            case SqlSelect select -> select.getFetch();
            case SqlOrderBy orderBy -> orderBy.fetch;
            default -> null;
        };
        return fetch != null && fetch.getParserPosition() instanceof TiesPos;
    }

    /** The plan with its top sort's fetch extended to the rows that tie with the last one. */
    static RelNode expand(RelNode rel, RelBuilder relBuilder)
    {
        if (!(rel instanceof Sort sort) || sort.fetch == null || !(sort.fetch instanceof RexLiteral fetchLiteral)) {
            throw new GlauxException(ErrorCode.NOT_SUPPORTED, "FETCH FIRST ... WITH TIES needs an ORDER BY on the outermost query");
        }
        if (sort.getCollation().getFieldCollations().isEmpty()) {
            throw new GlauxException(ErrorCode.SYNTAX_ERROR, "FETCH FIRST WITH TIES clause requires ORDER BY");
        }
        RelNode input = sort.getInput();
        int fields = input.getRowType().getFieldCount();
        relBuilder.push(input);
        List<RexNode> orderKeys = new ArrayList<>();
        for (RelFieldCollation field : sort.getCollation().getFieldCollations()) {
            RexNode key = relBuilder.field(field.getFieldIndex());
            if (field.getDirection().isDescending()) {
                key = relBuilder.desc(key);
            }
            key = switch (field.nullDirection) {
                case FIRST -> relBuilder.nullsFirst(key);
                case LAST -> relBuilder.nullsLast(key);
                default -> key;
            };
            orderKeys.add(key);
        }
        RexNode rank = relBuilder.aggregateCall(SqlStdOperatorTable.RANK).over().orderBy(orderKeys).toRex();
        BigDecimal limit = fetchLiteral.getValueAs(BigDecimal.class);
        if (sort.offset != null) {
            if (!(sort.offset instanceof RexLiteral offsetLiteral)) {
                throw new GlauxException(ErrorCode.NOT_SUPPORTED, "FETCH FIRST ... WITH TIES needs a literal OFFSET");
            }
            limit = limit.add(offsetLiteral.getValueAs(BigDecimal.class));
        }
        List<RexNode> projection = new ArrayList<>(relBuilder.fields());
        projection.add(rank);
        relBuilder.project(projection);
        relBuilder.filter(relBuilder.call(SqlStdOperatorTable.LESS_THAN_OR_EQUAL, relBuilder.field(fields), relBuilder.literal(limit)));
        relBuilder.project(relBuilder.fields().subList(0, fields));
        RelNode ranked = relBuilder.build();
        return LogicalSort.create(ranked, sort.getCollation(), sort.offset, null);
    }
}
