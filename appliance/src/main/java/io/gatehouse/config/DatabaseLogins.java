package io.gatehouse.config;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.Optional;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The two PostgreSQL logins of the portal. The <b>owner</b> runs the migrations and owns the tables; the
 * <b>application</b> login is what every request uses, and may only INSERT and SELECT on the audit trail (the
 * grants are made by {@code afterMigrate.sql} after every migration). A SQL injection or a bug in the running
 * portal therefore cannot rewrite history.
 *
 * <p>The application login is GATEHOUSE_DATABASE_APP_USER/PASSWORD when given (production, where the
 * database's init script creates it). Otherwise the owner creates {@code <database>_app} itself, with a
 * password derived from the master key so that every portal node on the database computes the same one.
 */
public final class DatabaseLogins {

    /** Role names the portal creates or is given; quoted in SQL, but kept plain so quoting cannot be subverted. */
    private static final Pattern ROLE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

    public record Login(String url, String user, String password) {
    }

    private DatabaseLogins() {
    }

    /** The application login for {@code owner}'s database, creating its role when none was configured. */
    public static Login application(Login owner, Optional<String> appUser, String appPassword, byte[] masterKey) {
        if (appUser.isPresent()) {
            return new Login(owner.url(), checkedRoleName(appUser.get(), "GATEHOUSE_DATABASE_APP_USER"), appPassword);
        }
        String role = checkedRoleName(databaseName(owner.url()).toLowerCase() + "_app", "the database name");
        if (role.equals(owner.user())) {
            throw new IllegalStateException("The database owner '" + owner.user() + "' cannot also be the application login.");
        }
        String password = derivedPassword(masterKey, role);
        try (Connection c = DriverManager.getConnection(owner.url(), owner.user(), owner.password());
             var exists = c.prepareStatement("select 1 from pg_roles where rolname = ?")) {
            exists.setString(1, role);
            boolean present;
            try (var rs = exists.executeQuery()) {
                present = rs.next();
            }
            try (var ddl = c.createStatement()) {
                // DDL takes no bind parameters; the name is checked above and the password is hex.
                ddl.execute((present ? "alter" : "create") + " role \"" + role + "\" login nosuperuser nocreatedb nocreaterole"
                        + " password '" + password + "'");
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Could not create the application database login '" + role + "' as '" + owner.user()
                    + "': " + e.getMessage() + ". Give the owner the CREATEROLE privilege, or create a login yourself and set"
                    + " GATEHOUSE_DATABASE_APP_USER and GATEHOUSE_DATABASE_APP_PASSWORD.", e);
        }
        return new Login(owner.url(), role, password);
    }

    static String checkedRoleName(String name, String source) {
        if (!ROLE_NAME.matcher(name).matches()) {
            throw new IllegalStateException("'" + name + "' (from " + source + ") is not a usable PostgreSQL role name:"
                    + " use lower-case letters, digits and underscores, at most 63 characters.");
        }
        return name;
    }

    static String databaseName(String jdbcUrl) {
        String path = jdbcUrl.replaceFirst("^jdbc:postgresql://[^/]*/", "");
        int end = path.indexOf('?');
        return end < 0 ? path : path.substring(0, end);
    }

    private static String derivedPassword(byte[] masterKey, String role) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(masterKey, "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal(("gatehouse database login " + role).getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is not available in this JDK", e);
        }
    }
}
