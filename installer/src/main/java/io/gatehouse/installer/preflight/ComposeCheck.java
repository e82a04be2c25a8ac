package io.gatehouse.installer.preflight;

import io.gatehouse.installer.InstallerException;
import io.gatehouse.installer.compose.Compose;

import java.util.List;

/** docker compose v2, or docker-compose 1.29+. */
final class ComposeCheck implements Check {

    @Override
    public List<CheckResult> run(PreflightContext context) {
        try {
            Compose.Flavour flavour = Compose.detect(context.host().runner());
            return List.of(CheckResult.pass("docker compose", flavour == Compose.Flavour.V2 ? "docker compose (v2)" : "docker-compose (v1)"));
        } catch (InstallerException e) {
            return List.of(CheckResult.fail("docker compose", e.getMessage()));
        }
    }
}
