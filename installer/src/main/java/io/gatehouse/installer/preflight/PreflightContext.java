package io.gatehouse.installer.preflight;

import io.gatehouse.installer.Host;

import java.nio.file.Path;

/** What the checks need: the host (programs, probes) and the settings being checked. */
public record PreflightContext(Host host, Path dir, int httpPort, int httpsPort) {
}
