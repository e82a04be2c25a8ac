package io.gatehouse.model;

/** Token counts for one model call; {@code reported} is false when the provider gave none and we estimated. */
public record Usage(int inputTokens, int outputTokens, boolean reported) {

    public static final Usage NONE = new Usage(0, 0, false);

    /** About four characters a token for English text: used only when a provider reports no usage. */
    public static Usage estimate(ModelRequest request, String output) {
        int in = request.messages().stream().mapToInt(m -> m.content() == null ? 0 : m.content().length()).sum();
        return new Usage(Math.ceilDiv(in, 4), Math.ceilDiv(output.length(), 4), false);
    }

    public int totalTokens() {
        return inputTokens + outputTokens;
    }
}
