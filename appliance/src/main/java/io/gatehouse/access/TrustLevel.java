package io.gatehouse.access;

/**
 * How an action tool runs for a role, from most to least cautious. When several roles grant the same action,
 * the person gets the least cautious of them (grants are a union).
 */
public enum TrustLevel {
    /** Shown as a proposal; never runs. */
    SHADOW,
    /** Runs only after a person approves that exact call. */
    SUPERVISED,
    /** Runs within limits (calls per day, argument constraints). */
    BOUNDED,
    /** Runs, then lands in a review list. */
    AUDITED
}
