package io.gatehouse.approval;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** What an approver reads is what runs: exact numbers, invisible characters made visible, a stable hash. */
class ArgumentsShownTest {

    @Test
    void argumentsAreIndentedWithNumbersKeptExactly() {
        String shown = Approvals.pretty("{\"amount\":12345678901234567890.10,\"payee\":\"Müller\"}");

        assertThat(shown).isEqualTo("{\n  \"amount\" : 12345678901234567890.10,\n  \"payee\" : \"Müller\"\n}");
    }

    @Test
    void invisibleCharactersAreShownAsEscapes() {
        // U+202E turns the rest of the line around on screen; U+200B is not seen at all.
        String shown = Approvals.pretty("{\"payee\":\"Acme\u202E\u200Bltd\"}");

        assertThat(shown).contains("Acme\\u202e\\u200bltd").doesNotContain("\u202E").doesNotContain("\u200B");
    }

    @Test
    void textThatIsNotJsonIsShownAsItIs() {
        assertThat(Approvals.pretty("not json {")).isEqualTo("not json {");
    }

    @Test
    void theHashIsTheSha256OfTheExactText() {
        assertThat(ApprovalRequest.sha256("")).isEqualTo("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assertThat(ApprovalRequest.sha256("{\"a\":1}")).isNotEqualTo(ApprovalRequest.sha256("{\"a\": 1}"));
    }
}
