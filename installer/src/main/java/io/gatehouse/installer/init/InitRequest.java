package io.gatehouse.installer.init;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** What the IT chose on the command line; null = not given (asked, kept from the existing .env, or defaulted). */
record InitRequest(String hostname, String tls, String acmeEmail, Path certDir, String adminEmail, Integer httpPort,
                   Integer httpsPort, String mongo, Path license, String modelBaseUrl, String modelKind, String modelNames,
                   String modelApiKey, String licenseCheckUrl, String timeZone, Map<String, String> set, boolean force,
                   boolean nonInteractive) {

    static final List<String> TLS_MODES = List.of("internal", "acme", "custom");
}
