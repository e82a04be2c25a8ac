package io.gatehouse.chat;

import io.gatehouse.connector.ToolOutcome;
import io.gatehouse.governance.ModelCallMeter;
import io.gatehouse.model.Fingerprints;
import io.gatehouse.model.ModelCallException;
import io.gatehouse.model.ModelRequest;
import io.gatehouse.model.ModelResult;
import io.gatehouse.model.Usage;
import io.micronaut.core.annotation.Nullable;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One model call under every {@link ModelCallMeter}: opened before the request is sent (a refusal closes the
 * meters already opened as NOT_SENT and sends nothing), output capped to the smallest cap a meter asks for, the
 * answer held back until every meter admits delivery, and every meter closed exactly once with the result.
 */
final class MeteredCall {

    private static final Logger LOG = LoggerFactory.getLogger(MeteredCall.class);

    private final List<ModelCallMeter.Open> opened;
    private final ModelRequest request;
    private final long startedNanos = System.nanoTime();
    private boolean admitted;
    private long streamedChars;

    private MeteredCall(List<ModelCallMeter.Open> opened, ModelRequest request) {
        this.opened = opened;
        this.request = request;
    }

    static MeteredCall open(List<ModelCallMeter> meters, ModelCallMeter.Call call) {
        List<ModelCallMeter.Open> opened = new ArrayList<>(meters.size());
        try {
            for (ModelCallMeter meter : meters) {
                opened.add(meter.open(call));
            }
        } catch (RuntimeException refused) {
            closeAll(opened, new ModelCallMeter.Result(ModelCallMeter.Outcome.NOT_SENT, Usage.NONE, 0, null, null, refused.getMessage()));
            throw refused;
        }
        Integer cap = call.request().maxTokens();
        for (ModelCallMeter.Open open : opened) {
            Integer meterCap = open.maxOutputTokens();
            if (meterCap != null && (cap == null || meterCap < cap)) {
                cap = meterCap;
            }
        }
        ModelRequest r = call.request();
        return new MeteredCall(opened, cap == null || cap.equals(r.maxTokens()) ? r
                : new ModelRequest(r.model(), r.messages(), cap, r.temperature(), r.tools()));
    }

    /** What is sent: the request with the output cap applied. */
    ModelRequest request() {
        return request;
    }

    /** The observer the provider streams to: the first chunk waits for every meter's admission. */
    @Nullable
    TurnObserver observe(@Nullable TurnObserver downstream) {
        if (downstream == null) {
            return null;
        }
        return new TurnObserver() {
            @Override
            public void onDelta(String text) {
                admit();
                streamedChars += text.length();
                downstream.onDelta(text);
            }

            @Override
            public void onToolStep(ToolOutcome outcome) {
                downstream.onToolStep(outcome);
            }

            @Override
            public boolean cancelled() {
                return downstream.cancelled();
            }
        };
    }

    /** Every meter admits the answer (idempotent); throws, closing the call as FAILURE, when one does not. */
    void admit() {
        if (admitted) {
            return;
        }
        try {
            for (ModelCallMeter.Open open : opened) {
                open.beforeDelivery();
            }
            admitted = true;
        } catch (RuntimeException refused) {
            failed(refused);
            throw refused;
        }
    }

    ModelResult succeeded(ModelResult result) {
        admit();
        Fingerprints f = result.fingerprints();
        closeAll(opened, new ModelCallMeter.Result(ModelCallMeter.Outcome.SUCCESS, result.usage(), elapsedMillis(),
                f.requestSha256(), f.responseSha256(), null));
        return result;
    }

    void stopped(RuntimeException reason) {
        end(ModelCallMeter.Outcome.STOPPED, reason);
    }

    void failed(RuntimeException reason) {
        end(ModelCallMeter.Outcome.FAILURE, reason);
    }

    private void end(ModelCallMeter.Outcome outcome, RuntimeException reason) {
        // The provider reported nothing for a call that broke off: count what was sent and what streamed.
        Usage estimate = Usage.estimate(request, streamedChars);
        byte[] sent = reason instanceof ModelCallException failed ? failed.requestSha256() : null;
        closeAll(opened, new ModelCallMeter.Result(outcome, estimate, elapsedMillis(), sent, null, reason.getMessage()));
    }

    private long elapsedMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000;
    }

    private static void closeAll(List<ModelCallMeter.Open> opened, ModelCallMeter.Result result) {
        for (ModelCallMeter.Open open : opened) {
            try {
                open.close(result);
            } catch (RuntimeException e) {
                LOG.error("A model-call meter failed to close ({}): {}", open.getClass().getSimpleName(), e.getMessage(), e);
            }
        }
        opened.clear();
    }
}
