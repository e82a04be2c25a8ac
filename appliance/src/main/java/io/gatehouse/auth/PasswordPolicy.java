package io.gatehouse.auth;

import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/** At least 12 characters, not a common password, not the email address. */
@Singleton
public final class PasswordPolicy {

    static final int MIN_LENGTH = 12;
    private static final int MAX_LENGTH = 72; // bcrypt reads at most 72 bytes; longer would be silently cut

    private final Set<String> common;

    public PasswordPolicy() {
        try (var in = PasswordPolicy.class.getResourceAsStream("/common-passwords.txt");
             var reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            common = reader.lines().map(l -> l.strip().toLowerCase(Locale.ROOT)).filter(l -> !l.isEmpty())
                    .collect(Collectors.toUnmodifiableSet());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public void check(String password, String email) {
        if (password == null || password.length() < MIN_LENGTH) {
            throw new GatehouseException.BadRequest("weak-password",
                    "The password must have at least " + MIN_LENGTH + " characters.");
        }
        if (password.getBytes(StandardCharsets.UTF_8).length > MAX_LENGTH) {
            throw new GatehouseException.BadRequest("weak-password",
                    "The password must have at most " + MAX_LENGTH + " bytes.");
        }
        String lower = password.toLowerCase(Locale.ROOT);
        if (isCommon(lower) || lower.equals(email.toLowerCase(Locale.ROOT))) {
            throw new GatehouseException.BadRequest("weak-password",
                    "This password is too common or too easy to guess. Choose a longer passphrase.");
        }
    }

    /**
     * The list's entries are mostly short, so a padded form of one ("password2024!!", "qwertyqwerty") is
     * treated as that entry: a common word followed only by digits or symbols, or repeated.
     */
    private boolean isCommon(String lower) {
        if (common.contains(lower)) {
            return true;
        }
        String base = lower.replaceFirst("[\\d\\p{Punct}\\s]+$", "");
        if (base.length() < lower.length() && (common.contains(base) || base.isEmpty())) {
            return true;
        }
        for (int period = 1; period <= lower.length() / 2; period++) {
            if (lower.length() % period == 0 && lower.equals(lower.substring(0, period).repeat(lower.length() / period))) {
                return true;
            }
        }
        return false;
    }
}
