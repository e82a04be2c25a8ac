package io.gatehouse.model;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ServerSentEventsTest {

    @Test
    void joinsMultiLineDataWithNewlines() throws IOException {
        assertThat(read("data: first\ndata: second\ndata: third\n\n"))
                .containsExactly(new ServerSentEvents.Event("message", "first\nsecond\nthird"));
    }

    @Test
    void ignoresCommentLines() throws IOException {
        assertThat(read(": keep-alive\ndata: a\n: in the middle\ndata: b\n\n:another\n\n"))
                .containsExactly(new ServerSentEvents.Event("message", "a\nb"));
    }

    @Test
    void namesEventsAndFallsBackToMessageForTheNextOne() throws IOException {
        assertThat(read("event: message_start\ndata: {}\n\ndata: plain\n\nevent: ping\ndata: {\"type\": \"ping\"}\n\n"))
                .containsExactly(
                        new ServerSentEvents.Event("message_start", "{}"),
                        new ServerSentEvents.Event("message", "plain"),
                        new ServerSentEvents.Event("ping", "{\"type\": \"ping\"}"));
    }

    @Test
    void deliversTheFinalEventEvenWithoutATrailingBlankLine() throws IOException {
        assertThat(read("data: one\n\ndata: two")).containsExactly(
                new ServerSentEvents.Event("message", "one"),
                new ServerSentEvents.Event("message", "two"));
    }

    @Test
    void toleratesCrlfAndBareCarriageReturnLineEndings() throws IOException {
        assertThat(read("event: a\r\ndata: x\r\ndata: y\r\n\r\nevent: b\rdata: z\r\r"))
                .containsExactly(
                        new ServerSentEvents.Event("a", "x\ny"),
                        new ServerSentEvents.Event("b", "z"));
    }

    @Test
    void stripsExactlyOneSpaceAfterTheColon() throws IOException {
        assertThat(read("data:tight\n\ndata:  two spaces\n\n")).containsExactly(
                new ServerSentEvents.Event("message", "tight"),
                new ServerSentEvents.Event("message", " two spaces"));
    }

    @Test
    void skipsEventsWithoutDataAndUnusedFields() throws IOException {
        assertThat(read("event: lonely\n\nid: 7\nretry: 1000\ndata: kept\n\n"))
                .containsExactly(new ServerSentEvents.Event("message", "kept"));
    }

    @Test
    void returnsNullAtTheEndOfAnEmptyStream() throws IOException {
        assertThat(read("")).isEmpty();
        assertThat(read("\n\n: only a comment\n\n")).isEmpty();
    }

    @Test
    void decodesUtf8Data() throws IOException {
        assertThat(read("data: Grüße — 日本語 🙂\n\n"))
                .containsExactly(new ServerSentEvents.Event("message", "Grüße — 日本語 🙂"));
    }

    private static List<ServerSentEvents.Event> read(String stream) throws IOException {
        List<ServerSentEvents.Event> events = new ArrayList<>();
        try (ServerSentEvents sse = new ServerSentEvents(new ByteArrayInputStream(stream.getBytes(StandardCharsets.UTF_8)))) {
            ServerSentEvents.Event event;
            while ((event = sse.next()) != null) {
                events.add(event);
            }
        }
        return events;
    }
}
