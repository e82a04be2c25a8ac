package io.gatehouse.model;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * Reads a text/event-stream body as the HTML specification frames it: {@code event:} and {@code data:}
 * fields, multi-line data joined with newlines, comments ignored, an empty line dispatches the event.
 * (The JDK client has no SSE support and the framing is five rules; JSON inside events goes to Jackson.)
 */
final class ServerSentEvents implements AutoCloseable {

    record Event(String name, String data) {
    }

    private final BufferedReader reader;

    ServerSentEvents(InputStream body) {
        this.reader = new BufferedReader(new InputStreamReader(body, StandardCharsets.UTF_8), 8192);
    }

    /** The next event, or null at the end of the stream. */
    Event next() throws IOException {
        String name = "message";
        StringBuilder data = null;
        String line;
        while ((line = reader.readLine()) != null) {
            if (line.isEmpty()) {
                if (data != null) {
                    return new Event(name, data.toString());
                }
                name = "message";
                continue;
            }
            if (line.startsWith(":")) {
                continue;
            }
            int colon = line.indexOf(':');
            String field = colon < 0 ? line : line.substring(0, colon);
            String value = colon < 0 ? "" : line.substring(colon + 1);
            if (value.startsWith(" ")) {
                value = value.substring(1);
            }
            switch (field) {
                case "event" -> name = value;
                case "data" -> data = data == null ? new StringBuilder(value) : data.append('\n').append(value);
                default -> { } // id and retry are not used by model servers
            }
        }
        return data == null ? null : new Event(name, data.toString());
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
