package io.gatehouse.governance.guardrail;

/** The output checks an admin turns on per role; each one is off, strips what it finds, or blocks the answer. */
public enum Check {
    SECRETS("secrets", "Secrets: API keys, tokens, private keys, passwords, connection strings with credentials"),
    INTERNAL_ADDRESSES("internalAddresses", "Internal addresses: private and loopback IPs, *.internal, *.local, *.corp, your internal domains"),
    SQL("sqlText", "SQL statements"),
    IDENTIFIERS("identifiers", "Table and column names from the blocked list"),
    CODE_BLOCKS("codeBlocks", "Code blocks");

    private final String key;
    private final String description;

    Check(String key, String description) {
        this.key = key;
        this.description = description;
    }

    /** The name in the admin API. */
    public String key() {
        return key;
    }

    public String description() {
        return description;
    }

    static Check byKey(String key) {
        for (Check check : values()) {
            if (check.key.equals(key)) {
                return check;
            }
        }
        return null;
    }

    /** What a check does when it finds something. Ordered from lenient to strict: the strictest of a person's roles wins. */
    public enum Action {
        OFF, STRIP, BLOCK;

        static Action stricter(Action a, Action b) {
            return a.compareTo(b) >= 0 ? a : b;
        }
    }
}
