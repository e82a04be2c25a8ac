package io.gatehouse.installer.init;

import io.gatehouse.installer.DirOption;
import io.gatehouse.installer.Host;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

@Command(name = "init", description = "Writes DIR/.env (0600): generated secrets, hostname, TLS mode, bootstrap admin, ports.")
public final class InitCommand implements Callable<Integer> {

    private final Host host;
    @Mixin DirOption dir;
    @Spec CommandSpec spec;

    @Option(names = "--hostname", description = "The name people type in the browser (DNS name or IP address).")
    String hostname;
    @Option(names = "--tls", paramLabel = "internal|acme|custom", description = "internal (Caddy's own CA, default), acme (Let's Encrypt, needs --acme-email), custom (--cert-dir).")
    String tls;
    @Option(names = "--acme-email", description = "Contact e-mail for the ACME account (--tls acme).")
    String acmeEmail;
    @Option(names = "--cert-dir", description = "Directory with cert.pem and key.pem (--tls custom).")
    Path certDir;
    @Option(names = "--admin-email", description = "The bootstrap admin's e-mail; a one-time password is generated.")
    String adminEmail;
    @Option(names = "--http-port", description = "Host port for HTTP (default 80).")
    Integer httpPort;
    @Option(names = "--https-port", description = "Host port for HTTPS (default 443).")
    Integer httpsPort;
    @Option(names = "--mongo", paramLabel = "bundled|official", description = "bundled MongoDB-wire server (default) or the official mongo image.")
    String mongo;
    @Option(names = "--license", description = "A license file to install (copied to DIR/license/license.lic).")
    Path license;
    @Option(names = "--model-base-url", description = "Registers a model provider at first start (GATEHOUSE_MODEL_BASE_URL).")
    String modelBaseUrl;
    @Option(names = "--model-kind", description = "openai, ollama or anthropic (GATEHOUSE_MODEL_KIND).")
    String modelKind;
    @Option(names = "--model-names", description = "Model names, comma separated (GATEHOUSE_MODEL_NAMES).")
    String modelNames;
    @Option(names = "--model-api-key", description = "The provider's API key (GATEHOUSE_MODEL_API_KEY; encrypted at rest by the portal).")
    String modelApiKey;
    @Option(names = "--license-check-url", description = "GATEHOUSE_LICENSE_CHECK_URL.")
    String licenseCheckUrl;
    @Option(names = "--time-zone", description = "IANA time zone, e.g. Europe/Berlin (GATEHOUSE_TIME_ZONE).")
    String timeZone;
    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "Any other documented variable (repeatable).")
    Map<String, String> set = new LinkedHashMap<>();
    @Option(names = "--force", description = "Rewrite an existing .env, keeping its secrets (master key, database passwords, appliance id).")
    boolean force;
    @Option(names = "--non-interactive", description = "Never ask: a missing required value is an error.")
    boolean nonInteractive;

    public InitCommand(Host host) {
        this.host = host;
    }

    @Override
    public Integer call() {
        InitRequest request = new InitRequest(hostname, tls, acmeEmail, certDir, adminEmail, httpPort, httpsPort, mongo, license,
                modelBaseUrl, modelKind, modelNames, modelApiKey, licenseCheckUrl, timeZone, set, force, nonInteractive);
        new Initializer(host).init(dir.resolve(host), request, spec.commandLine().getOut());
        return 0;
    }
}
