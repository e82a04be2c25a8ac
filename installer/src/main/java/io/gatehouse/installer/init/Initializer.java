package io.gatehouse.installer.init;

import io.gatehouse.installer.Host;
import io.gatehouse.installer.InstallerException;
import io.gatehouse.installer.Version;
import io.gatehouse.installer.env.EnvFile;
import io.gatehouse.installer.env.Secrets;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.DateTimeException;
import java.time.ZoneId;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/** Writes the compose directory's .env from the request, the existing .env (with --force) and generated secrets. */
final class Initializer {

    /** Rotating any of these makes existing data unreadable or the database unreachable: --force keeps them. */
    static final List<String> KEPT_SECRETS = List.of("GATEHOUSE_MASTER_KEY", "POSTGRES_OWNER_PASSWORD", "POSTGRES_APP_PASSWORD",
            "GATEHOUSE_APPLIANCE_ID", "MONGO_ROOT_PASSWORD");
    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*|\\[[0-9A-Fa-f:.]+\\]");
    private static final Pattern EMAIL = Pattern.compile("[^@\\s]+@[^@\\s]+\\.[^@\\s]+");
    private static final String OFFICIAL_MONGO_IMAGE = "mongo:7";

    private final Host host;

    Initializer(Host host) {
        this.host = host;
    }

    void init(Path dir, InitRequest request, PrintWriter out) {
        Path envPath = dir.resolve(".env");
        boolean exists = Files.exists(envPath);
        if (exists && !request.force()) {
            throw new InstallerException(envPath + " exists already: pass --force to rewrite it (its master key, database"
                    + " passwords and appliance id are kept)");
        }
        if (!Files.isDirectory(dir)) {
            throw new InstallerException(dir + " is not a compose directory: pass --dir (the directory with docker-compose.yml)");
        }
        Map<String, String> old = exists ? EnvFile.read(envPath).asMap() : Map.of();
        boolean ask = !request.nonInteractive() && host.prompter().interactive();
        String version = Version.imageTag();

        String hostname = value(request.hostname(), old.get("GATEHOUSE_HOSTNAME"), "--hostname",
                "Hostname people will use (e.g. gatehouse.example.com): ", ask);
        if (!HOSTNAME.matcher(hostname).matches()) {
            throw new InstallerException("--hostname '" + hostname + "' is not a host name or IP address (e.g. gatehouse.example.com)");
        }
        String adminEmail = value(request.adminEmail(), old.get("GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL"), "--admin-email",
                "E-mail of the first administrator: ", ask);
        if (!EMAIL.matcher(adminEmail).matches()) {
            throw new InstallerException("--admin-email '" + adminEmail + "' is not an e-mail address");
        }
        int httpPort = port(request.httpPort(), old.get("GATEHOUSE_HTTP_PORT"), 80, "--http-port");
        int httpsPort = port(request.httpsPort(), old.get("GATEHOUSE_HTTPS_PORT"), 443, "--https-port");
        String tls = tls(dir, request, old, ask);
        String certDir = request.certDir() != null ? request.certDir().toAbsolutePath().normalize().toString()
                : old.getOrDefault("GATEHOUSE_CERT_DIR", dir.resolve("certs").toString());
        boolean officialMongo = mongo(request, old);

        EnvFile env = EnvFile.empty()
                .comment("Gatehouse settings, written by ./installer.sh init. Keep this file safe: without GATEHOUSE_MASTER_KEY")
                .comment("the stored API keys cannot be decrypted; backups do not contain it. Documented in docs/operations.md.")
                .set("COMPOSE_PROJECT_NAME", "gatehouse")
                .set("COMPOSE_FILE", officialMongo ? "docker-compose.yml:mongo-official.yml" : "docker-compose.yml")
                .set("GATEHOUSE_VERSION", old.getOrDefault("GATEHOUSE_VERSION", version))
                .set("GATEHOUSE_HOSTNAME", hostname)
                .set("GATEHOUSE_HTTP_PORT", String.valueOf(httpPort))
                .set("GATEHOUSE_HTTPS_PORT", String.valueOf(httpsPort))
                .set("GATEHOUSE_PUBLIC_URL", "https://" + hostname + (httpsPort == 443 ? "" : ":" + httpsPort))
                .set("GATEHOUSE_TLS", tls)
                .set("GATEHOUSE_CERT_DIR", certDir);
        String mongoVersionTag = old.getOrDefault("GATEHOUSE_VERSION", version);
        if (officialMongo) {
            String image = Optional.ofNullable(old.get("GATEHOUSE_MONGO_IMAGE")).filter(i -> !i.startsWith("gatehouse/")).orElse(OFFICIAL_MONGO_IMAGE);
            env.set("GATEHOUSE_MONGO_IMAGE", image).set("GATEHOUSE_MONGO_DATA_PATH", "/data/db")
                    .set("MONGO_ROOT_PASSWORD", old.getOrDefault("MONGO_ROOT_PASSWORD", Secrets.password()));
        } else {
            env.set("GATEHOUSE_MONGO_IMAGE", "gatehouse/mongo-wire:" + mongoVersionTag);
        }
        env.set("GATEHOUSE_MASTER_KEY", old.getOrDefault("GATEHOUSE_MASTER_KEY", Secrets.masterKey()))
                .set("POSTGRES_OWNER_PASSWORD", old.getOrDefault("POSTGRES_OWNER_PASSWORD", Secrets.password()))
                .set("POSTGRES_APP_PASSWORD", old.getOrDefault("POSTGRES_APP_PASSWORD", Secrets.password()))
                .set("GATEHOUSE_APPLIANCE_ID", old.getOrDefault("GATEHOUSE_APPLIANCE_ID", UUID.randomUUID().toString()))
                .set("GATEHOUSE_DOCKER_GID", dockerGid(request, old));
        boolean sameAdmin = adminEmail.equals(old.get("GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL")) && old.containsKey("GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD");
        String adminPassword = sameAdmin ? old.get("GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD") : Secrets.password();
        env.set("GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL", adminEmail).set("GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD", adminPassword);

        optional(env, "GATEHOUSE_MODEL_BASE_URL", request.modelBaseUrl(), old);
        optional(env, "GATEHOUSE_MODEL_KIND", request.modelKind(), old);
        optional(env, "GATEHOUSE_MODEL_NAMES", request.modelNames(), old);
        optional(env, "GATEHOUSE_MODEL_API_KEY", request.modelApiKey(), old);
        optional(env, "GATEHOUSE_LICENSE_CHECK_URL", request.licenseCheckUrl(), old);
        optional(env, "GATEHOUSE_LICENSE_PUBLIC_KEYS", null, old);
        if (request.timeZone() != null) {
            try {
                ZoneId.of(request.timeZone());
            } catch (DateTimeException e) {
                throw new InstallerException("--time-zone '" + request.timeZone() + "' is not a time zone: use an IANA name such as Europe/Berlin");
            }
        }
        optional(env, "GATEHOUSE_TIME_ZONE", request.timeZone(), old);
        if (env.get("GATEHOUSE_MODEL_BASE_URL").isPresent() && env.get("GATEHOUSE_MODEL_NAMES").isEmpty()) {
            throw new InstallerException("--model-base-url needs --model-names (the model names, comma separated)");
        }
        // Anything else the IT set before (documented variables added by hand or with --set) is kept.
        old.forEach((key, value) -> {
            if (env.get(key).isEmpty()) {
                env.set(key, value);
            }
        });
        request.set().forEach((key, value) -> {
            if (KEPT_SECRETS.contains(key) && old.containsKey(key) && !old.get(key).equals(value)) {
                throw new InstallerException("--set " + key + " would replace an existing secret: the stored data would become"
                        + " unreadable. Edit .env by hand only if you know the data is not needed");
            }
            env.set(key, value);
        });
        env.comment("")
                .comment("Optional (docs/operations.md): GATEHOUSE_MODEL_BASE_URL, GATEHOUSE_MODEL_KIND, GATEHOUSE_MODEL_NAMES,")
                .comment("GATEHOUSE_MODEL_API_KEY, GATEHOUSE_LICENSE_CHECK_URL, GATEHOUSE_LICENSE_PUBLIC_KEYS, GATEHOUSE_TIME_ZONE.");

        if (request.license() != null) {
            copyLicense(request.license(), dir);
        }
        if (!tls.startsWith("/certs/")) {
            createDirectory(Path.of(certDir));
        }
        env.write(envPath);

        out.println("wrote " + envPath + " (mode 0600)");
        if (exists) {
            out.println("kept the existing master key, database passwords and appliance id: rotating them would make the stored data unreadable");
        }
        out.println("Gatehouse will answer at https://" + hostname + (httpsPort == 443 ? "" : ":" + httpsPort) + "/");
        if (!sameAdmin) {
            out.println("Bootstrap admin: " + adminEmail);
            out.println("One-time password (shown once): " + adminPassword);
            out.println("Sign in, then set up MFA; change it under Account.");
        }
        out.println("Next: ./installer.sh preflight, then ./installer.sh up");
        out.flush();
    }

    private String value(String given, String existing, String flag, String question, boolean ask) {
        if (given != null && !given.isBlank()) {
            return given.strip();
        }
        if (existing != null && !existing.isBlank()) {
            return existing;
        }
        if (ask) {
            Optional<String> answer = host.prompter().ask(question).filter(a -> !a.isBlank());
            if (answer.isPresent()) {
                return answer.get();
            }
        }
        throw new InstallerException(flag + " is required (no console to ask): pass " + flag + " VALUE");
    }

    private static int port(Integer given, String existing, int fallback, String flag) {
        int port = given != null ? given : existing != null ? parsePort(existing, flag) : fallback;
        if (port < 1 || port > 65535) {
            throw new InstallerException(flag + " " + port + " is not a port: use 1-65535");
        }
        return port;
    }

    private static int parsePort(String value, String flag) {
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new InstallerException(flag + ": the port in .env ('" + value + "') is not a number: pass " + flag);
        }
    }

    /** The Caddy tls arguments: internal, the ACME e-mail, or the mounted certificate and key. */
    private String tls(Path dir, InitRequest request, Map<String, String> old, boolean ask) {
        String mode = request.tls();
        if (mode == null) {
            String existing = old.get("GATEHOUSE_TLS");
            if (existing != null && request.acmeEmail() == null && request.certDir() == null) {
                return existing;
            }
            mode = request.certDir() != null ? "custom" : request.acmeEmail() != null ? "acme" : "internal";
        }
        switch (mode) {
            case "internal" -> {
                return "internal";
            }
            case "acme" -> {
                String email = value(request.acmeEmail(), null, "--acme-email", "E-mail for the ACME (Let's Encrypt) account: ", ask);
                if (!EMAIL.matcher(email).matches()) {
                    throw new InstallerException("--acme-email '" + email + "' is not an e-mail address");
                }
                return email;
            }
            case "custom" -> {
                if (request.certDir() == null) {
                    throw new InstallerException("--tls custom needs --cert-dir DIR (with cert.pem and key.pem)");
                }
                PemFiles.check(request.certDir());
                return "/certs/cert.pem /certs/key.pem";
            }
            default -> throw new InstallerException("--tls '" + mode + "' is not one of internal, acme, custom");
        }
    }

    private static boolean mongo(InitRequest request, Map<String, String> old) {
        if (request.mongo() == null) {
            return old.getOrDefault("COMPOSE_FILE", "").contains("mongo-official.yml");
        }
        return switch (request.mongo()) {
            case "bundled" -> false;
            case "official" -> true;
            default -> throw new InstallerException("--mongo '" + request.mongo() + "' is not one of bundled, official");
        };
    }

    /** The group owning the Docker socket: the docker-proxy joins it to talk to the engine. */
    private String dockerGid(InitRequest request, Map<String, String> old) {
        if (request.set().containsKey("GATEHOUSE_DOCKER_GID")) {
            return request.set().get("GATEHOUSE_DOCKER_GID");
        }
        try {
            return String.valueOf(Files.getAttribute(host.dockerSocket(), "unix:gid"));
        } catch (IOException | UnsupportedOperationException e) {
            if (old.containsKey("GATEHOUSE_DOCKER_GID")) {
                return old.get("GATEHOUSE_DOCKER_GID");
            }
            throw new InstallerException(host.dockerSocket() + " not found: start the Docker engine (./installer.sh preflight"
                    + " checks it), or pass --set GATEHOUSE_DOCKER_GID=<group id of the socket>");
        }
    }

    private static void optional(EnvFile env, String key, String given, Map<String, String> old) {
        String value = given != null ? given.strip() : old.get(key);
        if (value != null && !value.isEmpty()) {
            env.set(key, value);
        }
    }

    private static void copyLicense(Path license, Path dir) {
        if (!Files.isRegularFile(license)) {
            throw new InstallerException("--license " + license + " is not a file");
        }
        Path target = dir.resolve("license").resolve("license.lic");
        try {
            createDirectory(target.getParent());
            Files.copy(license, target, StandardCopyOption.REPLACE_EXISTING);
            // the portal (uid 10001) reads it through a read-only bind mount; a license is not a secret
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot copy the license to " + target, e);
        }
    }

    private static void createDirectory(Path dir) {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create " + dir, e);
        }
    }
}
