package io.gatehouse.retention;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.gatehouse.chat.Conversation;
import io.gatehouse.chat.ConversationStore;
import io.gatehouse.chat.StoredMessage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.stream.Stream;

/**
 * A person's conversations as one JSON document, produced as it is read: the HTTP server pulls bytes, and each pull
 * writes the next few messages. Only the list of conversation ids and one batch of one conversation's messages are
 * in memory, however long the history. Format {@value #FORMAT}:
 * <pre>{"format", "exportedAt", "user": {"id", "email"}, "conversations": [{"id", "title", "model", "createdAt",
 *   "updatedAt", "messages": [{"id", "role", "text", "model", "inputTokens", "outputTokens", "status", "error",
 *   "createdAt", "removals": [], "toolSteps": [{"connector", "tool", "arguments", "error", "durationMillis", "rows"}]}]}]}</pre>
 */
final class ConversationExport extends InputStream {

    static final String FORMAT = "gatehouse-conversations-v1";
    private static final int CHUNK = 16 * 1024;
    private static final JsonFactory JSON = new JsonFactory();

    private final ConversationStore store;
    private final UUID userId;
    private final String email;
    private final List<UUID> conversationIds;
    private final Instant exportedAt;
    private final ByteArrayOutputStream buffer = new ByteArrayOutputStream(2 * CHUNK);
    private final JsonGenerator out;
    private byte[] chunk = new byte[0];
    private int position;
    private boolean started;
    private boolean finished;
    private int next;
    private Stream<StoredMessage> openMessages;
    private Iterator<StoredMessage> messages;

    ConversationExport(ConversationStore store, UUID userId, String email, List<UUID> conversationIds, Instant exportedAt) {
        this.store = store;
        this.userId = userId;
        this.email = email;
        this.conversationIds = List.copyOf(conversationIds);
        this.exportedAt = exportedAt;
        try {
            this.out = JSON.createGenerator(buffer);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
    }

    @Override
    public int read() throws IOException {
        if (!fill()) {
            return -1;
        }
        return chunk[position++] & 0xff;
    }

    @Override
    public int read(byte[] into, int offset, int length) throws IOException {
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, chunk.length - position);
        System.arraycopy(chunk, position, into, offset, n);
        position += n;
        return n;
    }

    /** Makes sure unread bytes are at hand; false at the end of the document. */
    private boolean fill() throws IOException {
        while (position >= chunk.length) {
            if (finished) {
                return false;
            }
            buffer.reset();
            while (!finished && buffer.size() < CHUNK) {
                step();
                out.flush();
            }
            chunk = buffer.toByteArray();
            position = 0;
        }
        return true;
    }

    /** Writes the next piece: the opening, one message, a conversation's start or end, or the closing. */
    private void step() throws IOException {
        if (!started) {
            started = true;
            out.writeStartObject();
            out.writeStringField("format", FORMAT);
            out.writeStringField("exportedAt", exportedAt.toString());
            out.writeObjectFieldStart("user");
            out.writeStringField("id", userId.toString());
            out.writeStringField("email", email);
            out.writeEndObject();
            out.writeArrayFieldStart("conversations");
        } else if (messages != null) {
            if (messages.hasNext()) {
                message(messages.next());
            } else {
                closeMessages();
                out.writeEndArray();
                out.writeEndObject();
            }
        } else if (next < conversationIds.size()) {
            // Scoped to the owner: an id listed at the start but deleted since is simply left out.
            Optional<Conversation> conversation = store.find(userId, conversationIds.get(next++));
            if (conversation.isPresent()) {
                Conversation c = conversation.get();
                out.writeStartObject();
                out.writeStringField("id", c.id().toString());
                out.writeStringField("title", c.title());
                out.writeStringField("model", c.model());
                out.writeStringField("createdAt", c.createdAt().toString());
                out.writeStringField("updatedAt", c.updatedAt().toString());
                out.writeArrayFieldStart("messages");
                openMessages = store.streamMessages(c);
                messages = openMessages.iterator();
            }
        } else {
            out.writeEndArray();
            out.writeEndObject();
            out.writeRaw('\n');
            finished = true;
        }
    }

    private void message(StoredMessage m) throws IOException {
        out.writeStartObject();
        out.writeStringField("id", m.id());
        out.writeStringField("role", m.role());
        out.writeStringField("text", m.text());
        out.writeStringField("model", m.model());
        out.writeNumberField("inputTokens", m.inputTokens());
        out.writeNumberField("outputTokens", m.outputTokens());
        out.writeStringField("status", m.status());
        out.writeStringField("error", m.error());
        out.writeStringField("createdAt", m.createdAt().toString());
        out.writeArrayFieldStart("removals");
        for (String removal : m.removals()) {
            out.writeString(removal);
        }
        out.writeEndArray();
        out.writeArrayFieldStart("toolSteps");
        for (StoredMessage.ToolStep step : m.toolSteps()) {
            out.writeStartObject();
            out.writeStringField("connector", step.connector());
            out.writeStringField("tool", step.tool());
            out.writeStringField("arguments", step.arguments());
            out.writeBooleanField("error", step.error());
            out.writeNumberField("durationMillis", step.durationMillis());
            if (step.rows() == null) {
                out.writeNullField("rows");
            } else {
                out.writeNumberField("rows", step.rows());
            }
            out.writeEndObject();
        }
        out.writeEndArray();
        out.writeEndObject();
    }

    private void closeMessages() {
        if (openMessages != null) {
            openMessages.close();
        }
        openMessages = null;
        messages = null;
    }

    /** The server closes the body when the client goes away, too: the open cursor is released then. */
    @Override
    public void close() {
        closeMessages();
        finished = true;
    }
}
