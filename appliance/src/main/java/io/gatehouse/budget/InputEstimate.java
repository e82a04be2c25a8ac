package io.gatehouse.budget;

import io.gatehouse.model.ChatMessage;
import io.gatehouse.model.ModelRequest;
import io.gatehouse.model.ToolCall;
import io.gatehouse.model.ToolSpec;
import io.micronaut.core.annotation.Nullable;

/**
 * An upper-leaning estimate of a request's input tokens, made before it is sent (no provider reports usage
 * ahead of time, and their tokenizers differ). Reserving too little lets a budget be overspent, so this
 * deliberately leans high: about four ASCII characters a token (English text and code) but one token for every
 * other character (CJK, emoji and accented text take far more tokens per character than English), plus the
 * few tokens of framing providers add per message, and the tool definitions offered, which are input too.
 */
final class InputEstimate {

    /** Role and separators around each message (OpenAI documents 3-4). */
    static final int PER_MESSAGE = 4;
    /** The tokens that prime the reply. */
    static final int PER_REQUEST = 3;

    private InputEstimate() {
    }

    static long tokens(ModelRequest request) {
        long tokens = PER_REQUEST;
        for (ChatMessage message : request.messages()) {
            tokens += PER_MESSAGE + text(message.content()) + text(message.toolCallId());
            if (message.toolCalls() != null) {
                for (ToolCall call : message.toolCalls()) {
                    tokens += text(call.id()) + text(call.name()) + text(call.argumentsJson());
                }
            }
        }
        for (ToolSpec tool : request.tools()) {
            tokens += PER_MESSAGE + text(tool.name()) + text(tool.description())
                    + text(tool.inputSchema() == null ? null : tool.inputSchema().toString());
        }
        return tokens;
    }

    /** Tokens for one text: ASCII characters count a quarter each (rounded up), every other code point counts one. */
    static long text(@Nullable String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        long ascii = 0;
        long other = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            if (cp < 0x80) {
                ascii++;
            } else {
                other++;
            }
            i += Character.charCount(cp);
        }
        return Math.ceilDiv(ascii, 4) + other;
    }
}
