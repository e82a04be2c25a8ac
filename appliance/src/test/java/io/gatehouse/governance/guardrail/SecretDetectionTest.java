package io.gatehouse.governance.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.governance.OutputGuard;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every kind of secret the output guardrail knows is removed and named in the notice; look-alikes are not. */
class SecretDetectionTest {

    private final TextGuard guard = Policies.defaults().guard();

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "AWS access key id      | AKIAIOSFODNN7EXAMPLE                                                          | 1 API key",
            "GitHub classic token   | ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789                                      | 1 access token",
            "GitHub fine-grained    | github_pat_11ABCDEFG0123456789_abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOP | 1 access token",
            "GitLab token           | glpat-aB3dE6gH9jK2mN5pQ8sT                                                    | 1 access token",
            "Slack bot token        | xoxb-123456789012-1234567890123-AbCdEfGhIjKlMnOpQrStUvWx                      | 1 access token",
            "Slack webhook          | https://hooks.slack.com/services/T00000000/B00000000/XXXXXXXXXXXXXXXXXXXXXXXX | 1 access token",
            "Stripe live key        | sk_live_4eC39HqLyjWDarjtT1zdp7dc                                              | 1 API key",
            "Stripe restricted key  | rk_test_51HxYzAbCdEfGhIjKlMnOp                                                | 1 API key",
            "OpenAI-style key       | sk-proj-Ab12Cd34Ef56Gh78Ij90Kl12Mn34                                          | 1 API key",
            "Anthropic-style key    | sk-ant-api03-Ab12Cd34Ef56Gh78Ij90Kl12Mn34                                     | 1 API key",
            "Google API key         | AIzaSyA1b2C3d4E5f6G7h8I9j0K1l2M3n4O5p6Q                                       | 1 API key",
            "Gatehouse API token    | gh_q7HkR2mZp9XvT4sLw8NcB3yDf6GjK1aQe5UoI0rEtYu                                | 1 access token",
            "JWT                    | eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.dozjgNryP4J3jVmNHl0w5N_XgL0n3I9PlFUP0THsR8U | 1 access token",
            "bearer header          | Authorization: Bearer 7f9a2c4e8b1d6f3a5c7e9b2d4f6a8c0e                        | 1 access token",
            "connection string      | postgres://app:S3cret-pass@db.example.com:5432/sales                          | 1 connection string with credentials",
            "mongodb connection     | mongodb+srv://svc:pa55word@cluster0.example.net/app                           | 1 connection string with credentials",
    })
    void aSecretIsRemovedAndNamed(String kind, String secret, String description) {
        OutputGuard.Guarded out = guard.guard("Here it is: " + secret + " (from the vault).");

        assertThat(out.text()).doesNotContain(secret.contains("Bearer ") ? secret.substring(secret.indexOf("Bearer ") + 7) : secret)
                .contains("[removed by policy]").startsWith("Here it is: ").endsWith(" (from the vault).");
        assertThat(out.removals()).containsExactly(description);
    }

    @ParameterizedTest
    @ValueSource(strings = {"password=Hunter2!x", "DB_PASSWORD: \"correct-horse-9\"", "client_secret = 9f8e7d6c5b4a3210",
            "api_key: AbCdEf123456", "\"secret\": \"Wx9-abcdef\""})
    void anAssignedPasswordOrSecretLosesItsValueButKeepsItsName(String line) {
        OutputGuard.Guarded out = guard.guard("Config: " + line);

        assertThat(out.text()).contains("[removed by policy]").doesNotContainPattern("Hunter2|correct-horse|9f8e7d|AbCdEf123456|Wx9-abc");
        assertThat(out.text()).containsPattern("(?i)(password|secret|api_key)");
        assertThat(out.removals()).containsExactly("1 password or secret");
    }

    @Test
    void aPrivateKeyBlockGoesWhole() {
        String key = "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA1b2c3d4e5f6\nZmFrZWtleWRhdGE=\n-----END RSA PRIVATE KEY-----\n";

        OutputGuard.Guarded out = guard.guard("The key:\n" + key + "Keep it safe.");

        assertThat(out.text()).isEqualTo("The key:\n[removed by policy]\nKeep it safe.");
        assertThat(out.removals()).containsExactly("1 private key");
    }

    @Test
    void severalSecretsAreCountedByKind() {
        OutputGuard.Guarded out = guard.guard("Keys: AKIAIOSFODNN7EXAMPLE and AKIAI44QH8DHBEXAMPLE, token ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789.");

        assertThat(out.removals()).containsExactly("2 API keys", "1 access token");
    }

    @ParameterizedTest
    @ValueSource(strings = {"The password must be at least 12 characters long.", "Set max_tokens: 1000000 for long answers.",
            "The token: expired yesterday.", "We use scikit-learn and task-runner-abcdefghijklmnopqrstuvwx.",
            "The AKIA prefix marks AWS keys.", "Password: required", "Our secret: teamwork"})
    void ordinaryTextAboutSecretsStays(String text) {
        OutputGuard.Guarded out = guard.guard(text);

        assertThat(out.text()).isEqualTo(text);
        assertThat(out.removals()).isEmpty();
    }

    @Test
    void withTheSecretsCheckOffNothingIsRemoved() {
        TextGuard off = Policies.defaults().with(Check.SECRETS, Check.Action.OFF).guard();

        assertThat(off.guard("AKIAIOSFODNN7EXAMPLE").text()).isEqualTo("AKIAIOSFODNN7EXAMPLE");
    }

    @Test
    void blockingSecretsWithholdsTheWholeAnswer() {
        TextGuard block = Policies.defaults().with(Check.SECRETS, Check.Action.BLOCK).guard();

        OutputGuard.Guarded out = block.guard("Revenue is up. Key: AKIAIOSFODNN7EXAMPLE");

        assertThat(out.text()).isEqualTo(TextGuard.WITHHELD);
        assertThat(out.removals()).isEqualTo(List.of("the whole answer (it contained 1 API key)"));
    }
}
