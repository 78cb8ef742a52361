package io.glaux.engine.operator.join;

import io.glaux.engine.Reference;
import io.glaux.engine.expr.Expression;
import io.glaux.engine.plan.PlanNode.JoinType;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** The expected result of a join, computed the naive way: every left row against every right row. */
final class JoinReference
{
    private JoinReference() {}

    static List<List<Object>> join(JoinType type, List<List<Object>> left, List<List<Object>> right, int leftWidth, int rightWidth,
            List<Integer> leftKeys, List<Integer> rightKeys, Expression condition)
    {
        return output(type, left, right, leftWidth, rightWidth, matchLists(left.size(), right.size(),
                (l, r) -> matches(left.get(l), right.get(r), leftKeys, rightKeys, condition)));
    }

    static boolean matches(List<Object> left, List<Object> right, List<Integer> leftKeys, List<Integer> rightKeys, Expression condition)
    {
        for (int k = 0; k < leftKeys.size(); k++) {
            if (!sqlEqual(left.get(leftKeys.get(k)), right.get(rightKeys.get(k)))) {
                return false;
            }
        }
        if (condition == null) {
            return true;
        }
        List<Object> row = new ArrayList<>(left);
        row.addAll(right);
        return Boolean.TRUE.equals(Reference.eval(condition, row));
    }

    /** SQL equality for join keys: NULL matches nothing; -0.0 = 0.0 and NaN = NaN as Trino's join does. */
    static boolean sqlEqual(Object a, Object b)
    {
        if (a == null || b == null) {
            return false;
        }
        if (a instanceof Double x && b instanceof Double y) {
            return x.doubleValue() == y.doubleValue() || (x.isNaN() && y.isNaN());
        }
        if (a instanceof BigDecimal x && b instanceof BigDecimal y) {
            return x.compareTo(y) == 0;
        }
        return a.equals(b);
    }

    interface PairMatcher
    {
        boolean matches(int left, int right);
    }

    /** For each left row, the right rows it matches: every pair tried. */
    static int[][] matchLists(int leftRows, int rightRows, PairMatcher matcher)
    {
        int[][] lists = new int[leftRows][];
        int[] buffer = new int[rightRows];
        for (int l = 0; l < leftRows; l++) {
            int count = 0;
            for (int r = 0; r < rightRows; r++) {
                if (matcher.matches(l, r)) {
                    buffer[count++] = r;
                }
            }
            lists[l] = java.util.Arrays.copyOf(buffer, count);
        }
        return lists;
    }

    /** The join's output given the right rows each left row matches. */
    static List<List<Object>> output(JoinType type, List<List<Object>> left, List<List<Object>> right, int leftWidth, int rightWidth, int[][] matches)
    {
        List<List<Object>> out = new ArrayList<>();
        boolean[] rightMatched = new boolean[right.size()];
        for (int l = 0; l < left.size(); l++) {
            boolean matched = false;
            for (int r : matches[l]) {
                {
                    matched = true;
                    rightMatched[r] = true;
                    if (type.outputsRight()) {
                        List<Object> row = new ArrayList<>(left.get(l));
                        row.addAll(right.get(r));
                        out.add(row);
                    }
                }
            }
            switch (type) {
                case LEFT, FULL -> {
                    if (!matched) {
                        List<Object> row = new ArrayList<>(left.get(l));
                        row.addAll(Collections.nCopies(rightWidth, null));
                        out.add(row);
                    }
                }
                case SEMI -> {
                    if (matched) {
                        out.add(left.get(l));
                    }
                }
                case ANTI -> {
                    if (!matched) {
                        out.add(left.get(l));
                    }
                }
                default -> {}
            }
        }
        if (type == JoinType.RIGHT || type == JoinType.FULL) {
            for (int r = 0; r < right.size(); r++) {
                if (!rightMatched[r]) {
                    List<Object> row = new ArrayList<>(Collections.nCopies(leftWidth, null));
                    row.addAll(right.get(r));
                    out.add(row);
                }
            }
        }
        return out;
    }
}
