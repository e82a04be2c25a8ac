package io.gatehouse.mfa;

import io.gatehouse.error.GatehouseException;
import io.micronaut.core.annotation.Nullable;

/**
 * What a person offers as their second factor: the current code from their authenticator app, or one of
 * their recovery codes. Used to finish a sign-in and to confirm changes to two-factor authentication itself.
 */
record Proof(@Nullable String code, @Nullable String recoveryCode) {

    boolean hasCode() {
        return code != null && !code.isBlank();
    }

    /** For the audit trail: which kind of proof it was (never the code). */
    String factor() {
        return hasCode() ? "totp" : "recovery_code";
    }

    Proof requirePresent() {
        if (!hasCode() && (recoveryCode == null || recoveryCode.isBlank())) {
            throw new GatehouseException.BadRequest("code-missing",
                    "Enter the 6-digit code from your authenticator app, or one of your recovery codes.", "code");
        }
        return this;
    }
}
