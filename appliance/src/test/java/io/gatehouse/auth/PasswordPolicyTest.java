package io.gatehouse.auth;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.error.GatehouseException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class PasswordPolicyTest {

    private final PasswordPolicy policy = new PasswordPolicy();

    @ParameterizedTest
    @ValueSource(strings = {"short", "elevenchars", "password1234", "Password2024!!", "qwertyqwerty", "123456789012",
            "aaaaaaaaaaaaaaaa", "someone@example.test"})
    void weakPasswordsAreRefusedWithAReason(String password) {
        assertThatThrownBy(() -> policy.check(password, "someone@example.test"))
                .isInstanceOf(GatehouseException.BadRequest.class)
                .hasMessageContaining("password");
    }

    @ParameterizedTest
    @ValueSource(strings = {"correct horse battery staple", "Tr0ub4dor&3-river", "my cat eats 3 lemons"})
    void reasonablePassphrasesAreAccepted(String password) {
        assertThatCode(() -> policy.check(password, "someone@example.test")).doesNotThrowAnyException();
    }
}
