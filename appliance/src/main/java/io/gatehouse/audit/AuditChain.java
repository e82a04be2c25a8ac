package io.gatehouse.audit;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The hash chain: {@code hash = SHA-256(prev_hash || encoding(row))}. The encoding is unambiguous (every field
 * length-prefixed, null distinct from empty) so two different rows never encode alike; times are taken at
 * PostgreSQL's microsecond precision so what is stored is exactly what was hashed.
 */
public final class AuditChain {

    /** The previous hash of the very first row. */
    public static final byte[] GENESIS = new byte[32];
    private static final byte[] VERSION = "gatehouse-audit-v1".getBytes(StandardCharsets.UTF_8);

    private AuditChain() {
    }

    /** Truncated to what a timestamptz keeps. */
    public static Instant storable(Instant time) {
        return time.truncatedTo(ChronoUnit.MICROS);
    }

    public static byte[] hash(byte[] prevHash, AuditRecord row) {
        MessageDigest sha = sha256();
        sha.update(prevHash);
        sha.update(encode(row));
        return sha.digest();
    }

    static byte[] encode(AuditRecord row) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(256 + row.details().length());
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(VERSION);
            out.writeLong(row.seq());
            Instant t = row.occurredAt();
            out.writeLong(Math.addExact(Math.multiplyExact(t.getEpochSecond(), 1_000_000L), t.getNano() / 1_000));
            for (String field : new String[] {row.actorId() == null ? null : row.actorId().toString(), row.actorEmail(), row.action(),
                    row.outcome(), row.targetType(), row.targetId(), row.connector(), row.ip(), row.userAgent(), row.requestId(),
                    row.details()}) {
                if (field == null) {
                    out.writeInt(-1);
                } else {
                    byte[] utf8 = field.getBytes(StandardCharsets.UTF_8);
                    out.writeInt(utf8.length);
                    out.write(utf8);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return bytes.toByteArray();
    }

    public static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available in this JDK", e);
        }
    }
}
