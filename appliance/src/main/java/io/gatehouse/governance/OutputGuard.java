package io.gatehouse.governance;

import io.gatehouse.auth.Caller;
import java.util.List;

/**
 * Looks at the model's answer before the person sees it, as it streams and once complete, and removes what
 * the caller's roles must not be shown (secrets, SQL, internal hosts ...). Applied by the chat pipeline, so
 * the chat page and the OpenAI-compatible API get the same treatment.
 */
public interface OutputGuard {

    /** A filter for one answer. */
    AnswerFilter open(Caller caller);

    interface AnswerFilter {

        /** Text that is safe to show now; may hold some back until it can judge it (returned by a later call). */
        String onDelta(String delta);

        /**
         * Releases, judged, what is still held back: called when a model call's stream ends (normally, before
         * tool calls, or broken off), so the person sees the whole answer and nothing is lost.
         */
        default String flush() {
            return "";
        }

        /** The final answer (what the person keeps) and a short description of each removal. */
        Guarded finish(String fullText);
    }

    record Guarded(String text, List<String> removals) {
    }
}
