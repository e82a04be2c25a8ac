package io.gatehouse.installer.init;

import io.gatehouse.installer.TestHost;
import io.gatehouse.installer.env.EnvFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class InitCommandTest {

    @TempDir Path tmp;

    private static final List<String> CONTRACT_KEYS = List.of("GATEHOUSE_VERSION", "GATEHOUSE_HOSTNAME", "GATEHOUSE_HTTPS_PORT",
            "GATEHOUSE_HTTP_PORT", "GATEHOUSE_TLS", "GATEHOUSE_CERT_DIR", "GATEHOUSE_MASTER_KEY", "POSTGRES_OWNER_PASSWORD",
            "POSTGRES_APP_PASSWORD", "GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL", "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD", "GATEHOUSE_APPLIANCE_ID",
            "GATEHOUSE_DOCKER_GID", "GATEHOUSE_MONGO_IMAGE", "COMPOSE_FILE", "COMPOSE_PROJECT_NAME", "GATEHOUSE_PUBLIC_URL");

    private Map<String, String> env(TestHost t) {
        return EnvFile.read(t.compose.resolve(".env")).asMap();
    }

    @Test
    void initWritesEveryKeyOwnerOnlyWithGeneratedSecrets() throws Exception {
        TestHost t = new TestHost(tmp);

        int code = t.run("init", "--hostname", "gh.example.com", "--admin-email", "it@example.com", "--non-interactive");

        assertThat(code).as(t.output()).isZero();
        Path envFile = t.compose.resolve(".env");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(envFile))).isEqualTo("rw-------");
        Map<String, String> env = env(t);
        assertThat(env).containsKeys(CONTRACT_KEYS.toArray(String[]::new));
        assertThat(env).containsEntry("GATEHOUSE_VERSION", "0.1.0").containsEntry("GATEHOUSE_TLS", "internal")
                .containsEntry("GATEHOUSE_HTTPS_PORT", "443").containsEntry("GATEHOUSE_HTTP_PORT", "80")
                .containsEntry("COMPOSE_FILE", "docker-compose.yml").containsEntry("GATEHOUSE_MONGO_IMAGE", "gatehouse/mongo-wire:0.1.0")
                .containsEntry("GATEHOUSE_PUBLIC_URL", "https://gh.example.com")
                .containsEntry("GATEHOUSE_DOCKER_GID", String.valueOf(Files.getAttribute(tmp.resolve("docker.sock"), "unix:gid")));
        assertThat(Base64.getDecoder().decode(env.get("GATEHOUSE_MASTER_KEY"))).hasSize(32);
        assertThat(env.get("POSTGRES_OWNER_PASSWORD")).hasSize(32).matches("[A-Za-z0-9_-]+");
        assertThat(env.get("GATEHOUSE_APPLIANCE_ID")).matches("[0-9a-f-]{36}");
        assertThat(t.out.toString()).contains(env.get("GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD"))
                .contains("Sign in, then set up MFA; change it under Account");
        assertThat(env).doesNotContainKeys("GATEHOUSE_TIME_ZONE", "GATEHOUSE_MODEL_BASE_URL");
    }

    @Test
    void secretsDifferBetweenTwoInstallations() throws Exception {
        TestHost first = new TestHost(Files.createDirectories(tmp.resolve("a")));
        TestHost second = new TestHost(Files.createDirectories(tmp.resolve("b")));
        first.run("init", "--hostname", "a.example.com", "--admin-email", "it@example.com");
        second.run("init", "--hostname", "a.example.com", "--admin-email", "it@example.com");

        for (String key : List.of("GATEHOUSE_MASTER_KEY", "POSTGRES_OWNER_PASSWORD", "POSTGRES_APP_PASSWORD",
                "GATEHOUSE_APPLIANCE_ID", "GATEHOUSE_BOOTSTRAP_ADMIN_PASSWORD")) {
            assertThat(env(first).get(key)).as(key).isNotEqualTo(env(second).get(key));
        }
        assertThat(env(first).get("POSTGRES_OWNER_PASSWORD")).isNotEqualTo(env(first).get("POSTGRES_APP_PASSWORD"));
    }

    @Test
    void anExistingEnvIsRefusedWithoutForce() throws Exception {
        TestHost t = new TestHost(tmp);
        t.run("init", "--hostname", "gh.example.com", "--admin-email", "it@example.com");
        String before = Files.readString(t.compose.resolve(".env"));

        int code = t.run("init", "--hostname", "other.example.com", "--admin-email", "it@example.com");

        assertThat(code).isEqualTo(1);
        assertThat(t.err.toString()).contains(".env exists already: pass --force");
        assertThat(Files.readString(t.compose.resolve(".env"))).isEqualTo(before);
    }

    @Test
    void forceRewritesButKeepsTheSecrets() throws Exception {
        TestHost t = new TestHost(tmp);
        t.run("init", "--hostname", "gh.example.com", "--admin-email", "it@example.com", "--set", "GATEHOUSE_PORTAL_MEMORY=3g");
        Map<String, String> before = env(t);

        int code = t.run("init", "--force", "--hostname", "new.example.com", "--https-port", "8443", "--time-zone", "Europe/Berlin");

        assertThat(code).as(t.output()).isZero();
        Map<String, String> after = env(t);
        for (String key : List.of("GATEHOUSE_MASTER_KEY", "POSTGRES_OWNER_PASSWORD", "POSTGRES_APP_PASSWORD", "GATEHOUSE_APPLIANCE_ID")) {
            assertThat(after.get(key)).as(key).isEqualTo(before.get(key));
        }
        assertThat(after).containsEntry("GATEHOUSE_HOSTNAME", "new.example.com").containsEntry("GATEHOUSE_HTTPS_PORT", "8443")
                .containsEntry("GATEHOUSE_PUBLIC_URL", "https://new.example.com:8443").containsEntry("GATEHOUSE_TIME_ZONE", "Europe/Berlin")
                .containsEntry("GATEHOUSE_BOOTSTRAP_ADMIN_EMAIL", "it@example.com").containsEntry("GATEHOUSE_PORTAL_MEMORY", "3g");
        assertThat(t.out.toString()).contains("kept the existing master key, database passwords and appliance id");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(t.compose.resolve(".env")))).isEqualTo("rw-------");
    }

    @Test
    void missingValuesWithoutAConsoleNameTheFlag() throws Exception {
        TestHost t = new TestHost(tmp);

        assertThat(t.run("init", "--admin-email", "it@example.com", "--non-interactive")).isEqualTo(1);
        assertThat(t.err.toString()).contains("--hostname is required");

        assertThat(t.run("init", "--hostname", "gh.example.com")).isEqualTo(1);
        assertThat(t.err.toString()).contains("--admin-email is required");
        assertThat(t.compose.resolve(".env")).doesNotExist();
    }

    @Test
    void customTlsNeedsACertificateAndKeyInPem() throws Exception {
        TestHost t = new TestHost(tmp);
        Path certs = Files.createDirectories(tmp.resolve("certs"));

        assertThat(t.run("init", "--hostname", "gh.example.com", "--admin-email", "it@example.com", "--tls", "custom")).isEqualTo(1);
        assertThat(t.err.toString()).contains("--tls custom needs --cert-dir");

        assertThat(t.run("init", "--hostname", "gh.example.com", "--admin-email", "it@example.com", "--tls", "custom",
                "--cert-dir", certs.toString())).isEqualTo(1);
        assertThat(t.err.toString()).contains("must contain cert.pem").contains("key.pem");

        Files.writeString(certs.resolve("cert.pem"), "not a certificate");
        Files.writeString(certs.resolve("key.pem"), "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
        assertThat(t.run("init", "--hostname", "gh.example.com", "--admin-email", "it@example.com", "--tls", "custom",
                "--cert-dir", certs.toString())).isEqualTo(1);
        assertThat(t.err.toString()).contains("cert.pem is not a PEM certificate");
        assertThat(t.compose.resolve(".env")).doesNotExist();
    }

    @Test
    void acmeAndOfficialMongoAndLicenseAreWritten() throws Exception {
        TestHost t = new TestHost(tmp);
        Path license = Files.writeString(tmp.resolve("customer.lic"), "{\"format\":\"gatehouse-license-1\"}");

        int code = t.run("init", "--hostname", "gh.example.com", "--admin-email", "it@example.com", "--tls", "acme",
                "--acme-email", "certs@example.com", "--mongo", "official", "--license", license.toString(),
                "--model-base-url", "http://models:8000/v1", "--model-names", "m1,m2");

        assertThat(code).as(t.output()).isZero();
        assertThat(env(t)).containsEntry("GATEHOUSE_TLS", "certs@example.com")
                .containsEntry("COMPOSE_FILE", "docker-compose.yml:mongo-official.yml").containsEntry("GATEHOUSE_MONGO_IMAGE", "mongo:7")
                .containsEntry("GATEHOUSE_MONGO_DATA_PATH", "/data/db").containsKey("MONGO_ROOT_PASSWORD")
                .containsEntry("GATEHOUSE_MODEL_NAMES", "m1,m2");
        assertThat(t.compose.resolve("license/license.lic")).hasSameTextualContentAs(license);
    }

    @Test
    void valuesComposeWouldReadDifferentlyAreRefused() throws Exception {
        TestHost t = new TestHost(tmp);

        assertThat(t.run("init", "--hostname", "gh.example.com", "--admin-email", "it@example.com", "--set", "GATEHOUSE_X=a$b")).isEqualTo(1);
        assertThat(t.err.toString()).contains("GATEHOUSE_X contains a quote, $");
    }
}
