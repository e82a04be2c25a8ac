package io.gatehouse.sso;

import java.util.Optional;
import org.pac4j.core.context.WebContext;
import org.pac4j.core.context.session.SessionStore;

/** pac4j's session, narrowed to one started sign-in: what pac4j stores there lives and dies with it. */
final class PreLoginSessionStore implements SessionStore {

    private final PreLoginStates.PreLogin preLogin;

    PreLoginSessionStore(PreLoginStates.PreLogin preLogin) {
        this.preLogin = preLogin;
    }

    @Override
    public Optional<String> getSessionId(WebContext context, boolean createSession) {
        return Optional.of(preLogin.id());
    }

    @Override
    public Optional<Object> get(WebContext context, String key) {
        return Optional.ofNullable(preLogin.values().get(key));
    }

    @Override
    public void set(WebContext context, String key, Object value) {
        if (value == null) {
            preLogin.values().remove(key);
        } else {
            preLogin.values().put(key, value);
        }
    }

    @Override
    public boolean destroySession(WebContext context) {
        preLogin.values().clear();
        return true;
    }

    @Override
    public Optional<Object> getTrackableSession(WebContext context) {
        return Optional.empty();
    }

    @Override
    public Optional<SessionStore> buildFromTrackableSession(WebContext context, Object trackableSession) {
        return Optional.empty();
    }

    @Override
    public boolean renewSession(WebContext context) {
        return false;
    }
}
