package io.gatehouse.installer.preflight;

import java.util.List;

/** The HTTP and HTTPS ports are free on this host (Caddy publishes them). */
final class PortCheck implements Check {

    @Override
    public List<CheckResult> run(PreflightContext context) {
        return List.of(one(context, context.httpPort(), "--http-port"), one(context, context.httpsPort(), "--https-port"));
    }

    private static CheckResult one(PreflightContext context, int port, String flag) {
        String name = "port " + port;
        return switch (context.host().probes().port(port)) {
            case FREE -> CheckResult.pass(name, "free");
            case IN_USE -> CheckResult.fail(name, "in use by another program: stop it (ss -ltnp 'sport = :" + port
                    + "' shows which), or choose another port with init " + flag);
            case NO_PERMISSION -> CheckResult.warn(name, "could not be tested without root (Docker binds it as root):"
                    + " make sure nothing listens on it, or run preflight as root");
        };
    }
}
