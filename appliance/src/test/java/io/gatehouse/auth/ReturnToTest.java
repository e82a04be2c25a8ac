package io.gatehouse.auth;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ReturnToTest {

    @ParameterizedTest
    @ValueSource(strings = {"/", "/c/123", "/admin/models?tab=1", "/tokens#new", "/%2F%2Fevil.example"})
    void localPathsAreKept(String path) {
        assertThat(ReturnTo.local(path)).isEqualTo(path);
    }

    @ParameterizedTest
    @ValueSource(strings = {"https://evil.example", "//evil.example", "/\\evil.example", "\\\\evil.example", "/\t/evil.example",
            "/\n/evil.example", "/\r//evil.example", "javascript:alert(1)", "evil.example", "", " /", "/a b", "/x\u007f"})
    void anythingThatCouldLeaveTheSiteBecomesHome(String target) {
        assertThat(ReturnTo.local(target)).isEqualTo("/");
    }

    @org.junit.jupiter.api.Test
    void nullAndLoopsBecomeHome() {
        assertThat(ReturnTo.local(null)).isEqualTo("/");
        assertThat(ReturnTo.localExcept("/mfa/enrol", "/mfa")).isEqualTo("/");
        assertThat(ReturnTo.localExcept("/admin/users", "/mfa")).isEqualTo("/admin/users");
    }
}
