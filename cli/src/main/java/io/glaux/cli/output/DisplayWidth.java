package io.glaux.cli.output;

/**
 * How many terminal columns text takes: East Asian wide characters and most emoji take two, combining
 * marks and other zero-width characters none, everything else one.
 */
public final class DisplayWidth
{
    private DisplayWidth() {}

    public static int of(String text)
    {
        int width = 0;
        for (int i = 0; i < text.length(); ) {
            int codePoint = text.codePointAt(i);
            width += of(codePoint);
            i += Character.charCount(codePoint);
        }
        return width;
    }

    static int of(int codePoint)
    {
        int type = Character.getType(codePoint);
        if (type == Character.NON_SPACING_MARK || type == Character.ENCLOSING_MARK || type == Character.FORMAT
                || codePoint == 0 || (codePoint < 0x20) || (codePoint >= 0x7f && codePoint < 0xa0)) {
            return 0;
        }
        return isWide(codePoint) ? 2 : 1;
    }

    private static boolean isWide(int c)
    {
        return (c >= 0x1100 && c <= 0x115f)
                || (c >= 0x2e80 && c <= 0x303e)
                || (c >= 0x3041 && c <= 0x33ff)
                || (c >= 0x3400 && c <= 0x4dbf)
                || (c >= 0x4e00 && c <= 0x9fff)
                || (c >= 0xa000 && c <= 0xa4cf)
                || (c >= 0xac00 && c <= 0xd7a3)
                || (c >= 0xf900 && c <= 0xfaff)
                || (c >= 0xfe30 && c <= 0xfe4f)
                || (c >= 0xff00 && c <= 0xff60)
                || (c >= 0xffe0 && c <= 0xffe6)
                || (c >= 0x1f300 && c <= 0x1f64f)
                || (c >= 0x1f900 && c <= 0x1f9ff)
                || (c >= 0x20000 && c <= 0x3fffd);
    }

    /** {@code text} padded with spaces to {@code width} columns: on the right, or on the left if {@code right}. */
    static String pad(String text, int width, boolean right)
    {
        int missing = width - of(text);
        if (missing <= 0) {
            return text;
        }
        return right ? " ".repeat(missing) + text : text + " ".repeat(missing);
    }

    /** {@code text} centered in {@code width} columns (extra space goes to the right). */
    static String center(String text, int width)
    {
        int missing = width - of(text);
        if (missing <= 0) {
            return text;
        }
        int left = missing / 2;
        return " ".repeat(left) + text + " ".repeat(missing - left);
    }
}
