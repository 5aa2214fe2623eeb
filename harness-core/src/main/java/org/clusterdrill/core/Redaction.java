package org.clusterdrill.core;

import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CopyOnWriteArraySet;

/**
 * The values that a drill's reports and log lines must not show, with the masking applied to
 * every string they write.
 */
final class Redaction {

    /** The text that replaces a redacted value. */
    static final String MASK = "[redacted]";

    private final CopyOnWriteArraySet<String> values = new CopyOnWriteArraySet<>();

    void add(String value) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException("A value to redact must not be null or blank");
        }
        values.add(value);
    }

    /** Returns the text with every registered value replaced by {@link #MASK}; null stays null. */
    String apply(String text) {
        if (text == null || values.isEmpty()) {
            return text;
        }
        // Longer values go first, so a value that contains a shorter one is masked as a whole.
        List<String> longestFirst = values.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList();
        String masked = text;
        for (String value : longestFirst) {
            masked = wholeValue(value).matcher(masked).replaceAll(java.util.regex.Matcher.quoteReplacement(MASK));
        }
        return masked;
    }

    /**
     * Matches the value only where no letter or digit touches it, so a short secret such as
     * {@code two} is masked in {@code password=two} but leaves the word {@code network} alone.
     */
    private static java.util.regex.Pattern wholeValue(String value) {
        return java.util.regex.Pattern.compile("(?<![\\p{Alnum}])" + java.util.regex.Pattern.quote(value) + "(?![\\p{Alnum}])");
    }
}
