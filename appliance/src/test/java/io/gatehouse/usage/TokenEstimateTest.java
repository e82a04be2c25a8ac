package io.gatehouse.usage;

import static org.assertj.core.api.Assertions.assertThat;

import io.gatehouse.model.AvailableModel;
import io.gatehouse.model.ChatMessage;
import io.gatehouse.model.ModelRequest;
import io.gatehouse.model.Usage;
import java.math.BigDecimal;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * When a provider reports no usage the portal estimates it: OpenAI models with their own tokenizer and OpenAI's
 * per-message framing, any other model at four characters a token; and every call is priced from the price table.
 */
class TokenEstimateTest {

    private static ModelRequest ask(String model, String text) {
        return new ModelRequest(model, List.of(new ChatMessage(ChatMessage.USER, text)), null, null);
    }

    @Test
    void openAiModelsAreCountedWithTheirTokenizer() {
        // "Hello, world!" is 4 tokens (Hello , world !) in both cl100k_base and o200k_base; "user" is 1; each message
        // adds 3 tokens of framing and the reply is primed with 3 more.
        assertThat(Usage.estimateInput(ask("gpt-4o", "Hello, world!"))).isEqualTo(3 + 3 + 1 + 4);
        assertThat(Usage.estimateInput(ask("gpt-4-turbo", "Hello, world!"))).isEqualTo(11);
        assertThat(Usage.estimateInput(ask("openai/gpt-4.1-mini", "Hello, world!"))).isEqualTo(11);
        Usage estimate = Usage.estimate(ask("gpt-5", "Hello, world!"), "Hello, world!");
        assertThat(estimate).isEqualTo(new Usage(11, 4, false));
    }

    @Test
    void otherModelsAreCountedAtFourCharactersAToken() {
        assertThat(Usage.estimateInput(ask("llama3.2", "Hello, world!"))).isEqualTo(4); // 13 characters
        assertThat(Usage.estimate(ask("claude-sonnet-4-5", "12345678"), "123456789")).isEqualTo(new Usage(2, 3, false));
        assertThat(Usage.estimate(ask("mistral", "x"), 10)).isEqualTo(new Usage(1, 3, false));
    }

    @Test
    void aCallIsPricedPerMillionTokensRoundedOnceToEightPlaces() {
        AvailableModel model = new AvailableModel("m", UUID.randomUUID(), "P", "openai", new BigDecimal("2.5"), new BigDecimal("10"), null);

        assertThat(CallCost.of(model, new Usage(1_000_000, 1_000_000, true))).isEqualByComparingTo("12.5");
        assertThat(CallCost.of(model, new Usage(123, 45, true))).isEqualByComparingTo("0.0007575");
        assertThat(CallCost.of(model, new Usage(1, 0, true))).isEqualTo(new BigDecimal("0.00000250"));
        AvailableModel cheap = new AvailableModel("m", UUID.randomUUID(), "P", "openai", new BigDecimal("0.003"), BigDecimal.ZERO, null);
        assertThat(CallCost.of(cheap, new Usage(1, 0, true))).isEqualTo(new BigDecimal("0.00000000")); // 3e-9 rounds to zero
        assertThat(CallCost.of(cheap, new Usage(2, 0, true))).isEqualTo(new BigDecimal("0.00000001")); // 6e-9 rounds up
    }
}
