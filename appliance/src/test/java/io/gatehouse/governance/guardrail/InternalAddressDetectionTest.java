package io.gatehouse.governance.guardrail;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.governance.OutputGuard;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Private, loopback and link-local addresses and internal host names are removed; public ones stay. */
class InternalAddressDetectionTest {

    private final TextGuard guard = Policies.defaults().internalDomains("acme-intra.net").guard();

    @ParameterizedTest
    @ValueSource(strings = {"10.1.2.3", "172.20.0.5:5432", "192.168.1.10", "127.0.0.1", "169.254.169.254", "100.64.0.7",
            "10.0.0.0/8", "::1", "[::1]:8080", "fe80::1ff:fe23:4567:890a", "fd12:3456:789a::1", "localhost", "localhost:8080",
            "db1.internal", "printer.local", "ldap.fin.corp:636", "nas.home.arpa", "erp.acme-intra.net", "acme-intra.net"})
    void anInternalAddressIsRemoved(String address) {
        OutputGuard.Guarded out = guard.guard("The server is at " + address + ", ask IT.");

        assertThat(out.text()).isEqualTo("The server is at [removed by policy], ask IT.");
        assertThat(out.removals()).containsExactly("1 internal address");
    }

    @ParameterizedTest
    @ValueSource(strings = {"8.8.8.8", "172.32.0.1", "192.169.1.1", "version 1.2.3", "10.1.2", "999.10.10.10", "example.com",
            "locally", "the .local suffix", "acme-intra.network", "we use std::1 here"})
    void publicAddressesAndLookAlikesStay(String text) {
        OutputGuard.Guarded out = guard.guard("See " + text + " now.");

        assertThat(out.text()).isEqualTo("See " + text + " now.");
        assertThat(out.removals()).isEmpty();
    }

    @Test
    void anEmailOnAnInternalHostLosesItsHost() {
        assertThat(guard.guard("Mail ops@mail.corp today").text()).isEqualTo("Mail ops@[removed by policy] today");
    }

    @Test
    void severalAddressesAreCounted() {
        assertThat(guard.guard("Primary 10.0.0.5, replica 10.0.0.6 and cache.internal.").removals()).containsExactly("3 internal addresses");
    }
}
