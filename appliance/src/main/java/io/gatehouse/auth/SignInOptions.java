package io.gatehouse.auth;

import java.util.List;

/**
 * The other ways to sign in a page can offer next to the password form (the SSO providers an admin set
 * up). Implemented by the SSO feature; access pages only list them.
 */
public interface SignInOptions {

    /** A way to sign in: its button text and the slug in {@code /sso/{slug}/start}. */
    record Option(String slug, String displayName) {
    }

    List<Option> providers();
}
