package io.gatehouse.license;

/** What checking a license file found: a license to enforce, or why the file cannot be trusted. */
public sealed interface LicenseVerification {

    record Valid(License license) implements LicenseVerification {
    }

    /** {@code message} is a constant sentence for people (never echoes file content). */
    record Invalid(Reason reason, String message) implements LicenseVerification {
    }

    enum Reason {
        /** Not a gatehouse-license-1 JSON document. */
        FORMAT,
        /** The payload or signature is not base64url, or the payload is not JSON. */
        ENCODING,
        /** No trusted key verifies the signature: tampered, or signed by someone else. */
        SIGNATURE,
        /** Signed, but a field is missing or impossible. */
        FIELDS
    }
}
