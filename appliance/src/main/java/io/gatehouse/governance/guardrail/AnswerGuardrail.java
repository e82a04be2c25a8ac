package io.gatehouse.governance.guardrail;

import io.gatehouse.auth.Caller;
import io.gatehouse.governance.OutputGuard;
import jakarta.inject.Singleton;

/**
 * The output guardrail (DESIGN.md step 7): every answer, streamed or not, on the chat page or the
 * OpenAI-compatible API, loses what the caller's roles must not be shown, and links, images and embedded HTML
 * that could carry data out.
 */
@Singleton
final class AnswerGuardrail implements OutputGuard {

    private final GuardrailPolicies policies;

    AnswerGuardrail(GuardrailPolicies policies) {
        this.policies = policies;
    }

    @Override
    public AnswerFilter open(Caller caller) {
        return new StreamingAnswerFilter(policies.textGuardFor(caller));
    }
}
