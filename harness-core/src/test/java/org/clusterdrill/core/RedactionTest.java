package org.clusterdrill.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RedactionTest {

    @Test
    void shortValueInsideWordIsKept() {
        Redaction redaction = new Redaction();
        redaction.add("two");

        assertThat(redaction.apply("missing network 'doomed'")).isEqualTo("missing network 'doomed'");
        assertThat(redaction.apply("password=two, then two")).isEqualTo("password=[redacted], then [redacted]");
    }

    @Test
    void valueWithSpacesIsMasked() {
        Redaction redaction = new Redaction();
        redaction.add("correct horse");

        assertThat(redaction.apply("value: correct horse.")).isEqualTo("value: [redacted].");
    }
}
