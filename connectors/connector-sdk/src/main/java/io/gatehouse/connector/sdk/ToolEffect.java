package io.gatehouse.connector.sdk;

/**
 * What calling a tool does to the system behind the connector. Mapped onto the MCP annotations
 * {@code readOnlyHint} and {@code destructiveHint}; a closed set so a tool cannot claim to be both
 * read-only and destructive.
 */
public enum ToolEffect {
    /** Reads only ({@code readOnlyHint=true, destructiveHint=false}). */
    READ_ONLY(true, false),
    /** Changes data but only adds to it ({@code readOnlyHint=false, destructiveHint=false}). */
    ADDITIVE(false, false),
    /** May change or delete existing data ({@code readOnlyHint=false, destructiveHint=true}). */
    DESTRUCTIVE(false, true);

    private final boolean readOnly;
    private final boolean destructive;

    ToolEffect(boolean readOnly, boolean destructive) {
        this.readOnly = readOnly;
        this.destructive = destructive;
    }

    public boolean readOnly() {
        return readOnly;
    }

    public boolean destructive() {
        return destructive;
    }
}
