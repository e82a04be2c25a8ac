package io.gatehouse.sso;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.gatehouse.testing.TestPortal;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** GATEHOUSE_OIDC_* that cannot work stops the start with a message saying which setting is wrong. */
class SsoEnvironmentBootstrapTest {

    @Test
    void anInvalidProviderInTheEnvironmentStopsTheStartAndNamesTheField() {
        Map<String, String> env = Map.of("GATEHOUSE_OIDC_SLUG", "corp", "GATEHOUSE_OIDC_DISCOVERY_URL", "http://sso.example.com/realms/corp",
                "GATEHOUSE_OIDC_CLIENT_ID", "gatehouse");

        assertThatThrownBy(() -> TestPortal.start(env).close())
                .rootCause().hasMessageContaining("GATEHOUSE_OIDC_* is not valid (discoveryUrl)").hasMessageContaining("https");
    }
}
