package io.gatehouse.installer.preflight;

import io.gatehouse.installer.DirOption;
import io.gatehouse.installer.Host;
import io.gatehouse.installer.env.EnvFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "preflight", description = "Checks this host: Docker 20.10+, compose, free ports, 10 GB disk, 4 GB memory, clock. Exit 1 on any FAIL.")
public final class PreflightCommand implements Callable<Integer> {

    private final Host host;
    @Mixin DirOption dir;
    @Spec CommandSpec spec;

    @Option(names = "--http-port", description = "Default: GATEHOUSE_HTTP_PORT from .env, else 80.")
    Integer httpPort;
    @Option(names = "--https-port", description = "Default: GATEHOUSE_HTTPS_PORT from .env, else 443.")
    Integer httpsPort;

    public PreflightCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        Path compose = dir.resolve(host);
        Map<String, String> env = Files.isRegularFile(compose.resolve(".env")) ? EnvFile.read(compose.resolve(".env")).asMap() : Map.of();
        int http = httpPort != null ? httpPort : Integer.parseInt(env.getOrDefault("GATEHOUSE_HTTP_PORT", "80"));
        int https = httpsPort != null ? httpsPort : Integer.parseInt(env.getOrDefault("GATEHOUSE_HTTPS_PORT", "443"));
        boolean ok = Preflight.print(Preflight.run(new PreflightContext(host, compose, http, https)), spec.commandLine().getOut());
        return ok ? 0 : 1;
    }
}
