package org.clusterdrill.core;

import java.util.Locale;

/**
 * A small HTML builder for reports. Every string from a drill goes through {@link #text(String)},
 * which masks redacted values and escapes the result, so only the report's own markup is written raw.
 */
final class Html {

    private final StringBuilder out = new StringBuilder(16_384);
    private final Redaction redaction;

    Html(Redaction redaction) {
        this.redaction = redaction;
    }

    /** Appends markup written by the report itself, never text that came from a drill. */
    Html raw(String markup) {
        out.append(markup);
        return this;
    }

    /** Appends text from a drill, masked and escaped, so it is safe both as element content and inside a quoted attribute. */
    Html text(String value) {
        out.append(escape(redaction.apply(value == null ? "" : value)));
        return this;
    }

    /** Appends a number formatted with a dot as the decimal separator, for SVG coordinates. */
    Html number(double value) {
        out.append(String.format(Locale.ROOT, "%.1f", value));
        return this;
    }

    /** Appends an element whose only content is text, such as {@code <td>value</td>}. */
    Html element(String tag, String cssClass, String value) {
        out.append('<').append(tag);
        if (cssClass != null && !cssClass.isEmpty()) {
            out.append(" class=\"").append(cssClass).append('"');
        }
        out.append('>');
        text(value);
        out.append("</").append(tag).append('>');
        return this;
    }

    /**
     * Escapes the five characters that HTML gives a meaning to, and replaces control characters
     * other than tab, line feed and carriage return, which HTML does not allow, with U+FFFD.
     */
    static String escape(String value) {
        StringBuilder escaped = new StringBuilder(value.length() + 16);
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '&' -> escaped.append("&amp;");
                case '<' -> escaped.append("&lt;");
                case '>' -> escaped.append("&gt;");
                case '"' -> escaped.append("&quot;");
                case '\'' -> escaped.append("&#39;");
                case '\t', '\n', '\r' -> escaped.append(c);
                default -> escaped.append(Character.isISOControl(c) ? '\uFFFD' : c);
            }
        }
        return escaped.toString();
    }

    @Override
    public String toString() {
        return out.toString();
    }
}
