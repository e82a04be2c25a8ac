package io.gatehouse.model;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.function.ToIntFunction;

/** Token counts for one model call; {@code reported} is false when the provider gave none and we estimated. */
public record Usage(int inputTokens, int outputTokens, boolean reported) {

    public static final Usage NONE = new Usage(0, 0, false);

    /**
     * An estimate for a call whose provider reported no usage: OpenAI models are counted with their own tokenizer
     * (tiktoken's encodings, through jtokkit), every other model at about four characters a token.
     */
    public static Usage estimate(ModelRequest request, String output) {
        ToIntFunction<String> counter = Tokenizer.counterFor(request.model());
        return new Usage(estimateInput(request), counter.applyAsInt(output), false);
    }

    /** As {@link #estimate(ModelRequest, String)} when only the output's length is known (a stream that broke off). */
    public static Usage estimate(ModelRequest request, long outputChars) {
        return new Usage(estimateInput(request), (int) Math.min(Integer.MAX_VALUE, Math.ceilDiv(outputChars, 4L)), false);
    }

    /**
     * The input tokens a request will cost, estimated before it is sent (for budgets) or when the provider did not
     * say. For OpenAI models this follows OpenAI's own counting recipe: a few tokens of framing per message.
     */
    public static int estimateInput(ModelRequest request) {
        ToIntFunction<String> counter = Tokenizer.counterFor(request.model());
        boolean framed = counter != Tokenizer.CHARS;
        long tokens = framed ? Tokenizer.REPLY_PRIMING : 0;
        for (ChatMessage m : request.messages()) {
            if (framed) {
                tokens += Tokenizer.PER_MESSAGE + counter.applyAsInt(m.role());
            }
            tokens += counter.applyAsInt(m.content());
            if (m.toolCalls() != null) {
                for (ToolCall call : m.toolCalls()) {
                    tokens += counter.applyAsInt(call.name()) + counter.applyAsInt(call.argumentsJson());
                }
            }
        }
        // Tool definitions are sent with every round and are billed as input, so they count too.
        for (ToolSpec tool : request.tools()) {
            tokens += counter.applyAsInt(tool.name()) + counter.applyAsInt(tool.description())
                    + counter.applyAsInt(tool.inputSchema() == null ? null : tool.inputSchema().toString());
        }
        return (int) Math.min(Integer.MAX_VALUE, tokens);
    }

    public int totalTokens() {
        return inputTokens + outputTokens;
    }

    /** Which way to count a model's tokens. The encodings load once, on first use (the larger one is 3.6 MB). */
    private static final class Tokenizer {

        /** OpenAI's counting recipe for chat messages: 3 tokens of framing per message, 3 to prime the reply. */
        static final int PER_MESSAGE = 3;
        static final int REPLY_PRIMING = 3;

        static final ToIntFunction<String> CHARS = text -> text == null ? 0 : Math.ceilDiv(text.length(), 4);

        /**
         * Model-name prefixes and their encodings, as tiktoken maps them (jtokkit's own model table predates gpt-4.1,
         * gpt-5 and the o-series). Longer prefixes first: gpt-4o before gpt-4.
         */
        private static final List<Prefix> PREFIXES = List.of(
                new Prefix("gpt-4o", EncodingType.O200K_BASE), new Prefix("chatgpt-4o", EncodingType.O200K_BASE),
                new Prefix("gpt-4.1", EncodingType.O200K_BASE), new Prefix("gpt-4.5", EncodingType.O200K_BASE),
                new Prefix("gpt-5", EncodingType.O200K_BASE), new Prefix("gpt-oss", EncodingType.O200K_BASE),
                new Prefix("o1", EncodingType.O200K_BASE), new Prefix("o3", EncodingType.O200K_BASE),
                new Prefix("o4", EncodingType.O200K_BASE),
                new Prefix("gpt-4", EncodingType.CL100K_BASE), new Prefix("gpt-3.5", EncodingType.CL100K_BASE),
                new Prefix("gpt-35", EncodingType.CL100K_BASE), new Prefix("text-embedding-", EncodingType.CL100K_BASE));

        private record Prefix(String prefix, EncodingType encoding) {
        }

        private static final class Registry {
            static final EncodingRegistry INSTANCE = Encodings.newLazyEncodingRegistry();
        }

        static ToIntFunction<String> counterFor(String model) {
            return encodingFor(model).<ToIntFunction<String>>map(e -> text -> text == null || text.isEmpty() ? 0 : e.countTokensOrdinary(text))
                    .orElse(CHARS);
        }

        /** The encoding of an OpenAI model, also behind a router's prefix ("openai/gpt-4o"); empty for any other model. */
        static Optional<Encoding> encodingFor(String model) {
            if (model == null) {
                return Optional.empty();
            }
            String name = model.substring(model.lastIndexOf('/') + 1).toLowerCase(Locale.ROOT);
            for (Prefix p : PREFIXES) {
                if (name.startsWith(p.prefix())) {
                    return Optional.of(Registry.INSTANCE.getEncoding(p.encoding()));
                }
            }
            return Optional.empty();
        }
    }
}
