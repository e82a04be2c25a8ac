package io.gatehouse.model;

/** Token counts for one model call; {@code reported} is false when the provider gave none and we estimated. */
public record Usage(int inputTokens, int outputTokens, boolean reported) {

    public static final Usage NONE = new Usage(0, 0, false);

    /** About four characters a token for English text: used only when a provider reports no usage. */
    public static Usage estimate(ModelRequest request, String output) {
        return estimate(request, output.length());
    }

    /** As {@link #estimate(ModelRequest, String)} when only the output's length is known. */
    public static Usage estimate(ModelRequest request, long outputChars) {
        int in = request.messages().stream().mapToInt(m -> m.content() == null ? 0 : m.content().length()).sum();
        return new Usage(Math.ceilDiv(in, 4), (int) Math.min(Integer.MAX_VALUE, Math.ceilDiv(outputChars, 4L)), false);
    }

    public int totalTokens() {
        return inputTokens + outputTokens;
    }
}
