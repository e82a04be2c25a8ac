package io.gatehouse.governance.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.governance.OutputGuard;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A streamed answer never shows what the final answer removes: however the model's chunks fall, the released
 * text is a prefix of the guarded answer, flushing at the end completes it exactly, and no piece of a secret is
 * ever released before the chunk that completes it arrives.
 */
class StreamingHoldBackTest {

    private static final String AWS = "AKIAIOSFODNN7EXAMPLE";
    private static final String STRIPE = "sk_live_4eC39HqLyjWDarjtT1zdp7dc";

    private static final List<String> ANSWERS = List.of(
            "Revenue grew 12% in Q3.",
            "The key is " + AWS + " and the token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789, keep them safe.",
            "Connect with postgres://app:S3cret-pass@db.internal:5432/sales or call 10.0.0.5:8080 now.\nThanks!",
            "Here is a chart ![sales](https://evil.example/c.png?d=ACME) and [the docs](https://docs.example.com/a \"Docs\").\n"
                    + "More at https://evil.example/x?leak=1 and <https://evil.example/y>.",
            "The config says password: Hunter22! and api_key = " + STRIPE + ".",
            "I ran SELECT name, total FROM invoices WHERE total > 10; then `select * from customers` too.\nNext line.",
            "Query:\n```sql\nselect c.name\nfrom customers c\n```\nAnd code:\n```python\nprint('x')\n```\nEnd.",
            "Key:\n-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1b2c3d4e5f6\n-----END RSA PRIVATE KEY-----\nDone.",
            "Tables: invoices and customer_id; host printer.local; <img src=https://evil.example/i.png> end",
            "Line one\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n- item with 192.168.1.1\n- item two",
            "Say ![a chart of sales](https://evil.example/x) ok and [a b c](https://evil.example/q \"t t\") fine. Wow![x](https://evil.example/p)",
            "Header Authorization: Bearer 7f9a2c4e8b1d6f3a5c7e9b2d4f6a8c0e and password = Hunter22! then `select a, b from t` and `npm test`.",
            "[ref]: https://evil.example/r\n[ok]: https://docs.example.com/x\n<a href=\"https://evil.example\">x</a> <b>bold</b>",
            // Lines are judged a few words at a time; nothing may change across those cuts.
            ("Revenue grew by twelve percent in the third quarter, led by ACME and Globex, while churn fell. ").repeat(3)
                    + "Then see ![a chart. of sales](https://evil.example/x), and [the docs. here](https://docs.example.com/a \"t. t\"). "
                    + ("The key is " + AWS + ", the host is db.internal; call 10.0.0.5. ").repeat(4)
                    + "Run SELECT name, total FROM invoices WHERE a = 1. Next, more. And `select x, y from z. w` too. "
                    + "Key -----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1b2c3d4e5f6\n-----END RSA PRIVATE KEY----- tail. "
                    + "Last words here, then ```not a fence``` and the end.");

    private final TextGuard guard = Policies.defaults().allowLinksTo("docs.example.com").with(Check.SQL, Check.Action.STRIP)
            .blockIdentifiers("invoices", "customer_id").guard();

    @Test
    void aSecretSplitAcrossChunksIsNeverReleased() {
        StreamingAnswerFilter filter = new StreamingAnswerFilter(guard);
        StringBuilder shown = new StringBuilder();

        for (String chunk : List.of("Your Stripe key is sk_", "live_4eC39Hq", "LyjWDarjtT1", "zdp7dc", " and that is all.")) {
            shown.append(filter.onDelta(chunk));
            assertThat(shown.toString()).doesNotContain("sk_").doesNotContain("4eC39Hq");
        }
        shown.append(filter.flush());

        assertThat(shown.toString()).isEqualTo("Your Stripe key is [removed by policy] and that is all.");
        assertThat(filter.finish("Your Stripe key is " + STRIPE + " and that is all.").text()).isEqualTo(shown.toString());
    }

    @Test
    void anAwsKeyStreamedOneCharacterAtATimeNeverShowsAPrefixLongerThanItsFirstLetters() {
        StreamingAnswerFilter filter = new StreamingAnswerFilter(guard);
        StringBuilder shown = new StringBuilder();
        String answer = "key " + AWS + " end";

        for (char c : answer.toCharArray()) {
            shown.append(filter.onDelta(String.valueOf(c)));
            assertThat(shown.toString()).doesNotContain("AKIA");
        }
        shown.append(filter.flush());

        assertThat(shown.toString()).isEqualTo("key [removed by policy] end");
    }

    @Test
    void wordsAreReleasedAsSoonAsTheyAreComplete() {
        StreamingAnswerFilter filter = new StreamingAnswerFilter(guard);

        assertThat(filter.onDelta("Revenue ")).isEqualTo("Revenue ");
        assertThat(filter.onDelta("grew")).isEmpty();
        assertThat(filter.onDelta(" 12%")).isEqualTo("grew ");
        assertThat(filter.onDelta("\n")).isEqualTo("12%\n");
        assertThat(filter.flush()).isEmpty();
    }

    @Test
    void everyWayOfChunkingReleasesAPrefixOfTheFinalAnswerAndFlushCompletesIt() {
        Random random = new Random(42);
        for (String answer : ANSWERS) {
            OutputGuard.Guarded expected = guard.guard(answer);
            List<List<String>> chunkings = new ArrayList<>();
            chunkings.add(List.of(answer));
            chunkings.add(answer.chars().mapToObj(c -> String.valueOf((char) c)).toList());
            for (int i = 0; i < 200; i++) {
                chunkings.add(randomChunks(answer, random));
            }
            for (List<String> chunks : chunkings) {
                StreamingAnswerFilter filter = new StreamingAnswerFilter(guard);
                StringBuilder shown = new StringBuilder();
                for (String chunk : chunks) {
                    shown.append(filter.onDelta(chunk));
                    assertThat(expected.text()).as("released so far, for chunks %s", chunks).startsWith(shown.toString());
                }
                shown.append(filter.flush());
                assertThat(shown.toString()).as("released in all, for chunks %s", chunks).isEqualTo(expected.text());
                assertThat(filter.finish(answer)).isEqualTo(expected);
            }
        }
    }

    @Test
    void aBlockedAnswerStopsStreamingAndIsWithheld() {
        TextGuard block = Policies.defaults().with(Check.SECRETS, Check.Action.BLOCK).guard();
        StreamingAnswerFilter filter = new StreamingAnswerFilter(block);

        String shown = filter.onDelta("Revenue is up. ") + filter.onDelta("Key: " + AWS + " ") + filter.onDelta("more text ") + filter.flush();

        assertThat(shown).isEqualTo("Revenue is up. ");
        assertThat(filter.finish("Revenue is up. Key: " + AWS + " more text ").text()).isEqualTo(TextGuard.WITHHELD);
    }

    private static List<String> randomChunks(String text, Random random) {
        List<String> chunks = new ArrayList<>();
        int at = 0;
        while (at < text.length()) {
            int size = 1 + random.nextInt(Math.min(12, text.length() - at));
            chunks.add(text.substring(at, at + size));
            at += size;
        }
        return chunks;
    }
}
