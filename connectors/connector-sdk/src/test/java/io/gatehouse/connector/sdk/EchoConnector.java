package io.gatehouse.connector.sdk;

import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/** A tiny connector for the SDK's tests: one tool group with a tool for each behaviour under test. */
final class EchoConnector implements ToolGroup {

    record Echo(String text, Integer times) {
    }

    record NoArguments() {
    }

    record NoteId(String id) {
    }

    private final String prefix;
    private final long repeatLimit;
    final CountDownLatch entered = new CountDownLatch(1);
    final CountDownLatch release = new CountDownLatch(1);

    EchoConnector(ConnectorConfig config) {
        this.prefix = config.string("prefix").orElse("");
        this.repeatLimit = config.integer("repeat_limit");
    }

    @Override
    public List<Tool<?>> tools() {
        return List.of(
                Tool.named("echo")
                        .description("Echoes the text back, optionally several times.")
                        .effect(ToolEffect.READ_ONLY)
                        .inputSchema("""
                                {"type": "object",
                                 "properties": {
                                   "text": {"type": "string", "description": "What to echo"},
                                   "times": {"type": "integer", "minimum": 1, "maximum": 5, "description": "How often"}
                                 },
                                 "required": ["text"],
                                 "additionalProperties": false}""")
                        .handler(Echo.class, this::echo),
                Tool.named("wait_for_release")
                        .description("Blocks until the test releases it.")
                        .effect(ToolEffect.READ_ONLY)
                        .inputSchema("""
                                {"type": "object", "properties": {}, "additionalProperties": false}""")
                        .handler(NoArguments.class, arguments -> waitForRelease()),
                Tool.named("refuse")
                        .description("Always fails with a domain failure.")
                        .effect(ToolEffect.READ_ONLY)
                        .inputSchema("""
                                {"type": "object", "properties": {}, "additionalProperties": false}""")
                        .handler(NoArguments.class, arguments -> {
                            throw new ToolFailure("Refused on purpose; ask for something else.");
                        }),
                Tool.named("crash")
                        .description("Always fails with an unexpected exception.")
                        .effect(ToolEffect.READ_ONLY)
                        .inputSchema("""
                                {"type": "object", "properties": {}, "additionalProperties": false}""")
                        .handler(NoArguments.class, arguments -> {
                            throw new IllegalStateException("internal detail jdbc:secret@host");
                        }),
                Tool.named("erase_note")
                        .description("Pretends to erase a note.")
                        .effect(ToolEffect.DESTRUCTIVE)
                        .inputSchema("""
                                {"type": "object",
                                 "properties": {"id": {"type": "string"}},
                                 "required": ["id"],
                                 "additionalProperties": false}""")
                        .handler(NoteId.class, note -> ToolResult.text("erased " + note.id())));
    }

    private ToolResult echo(Echo echo) throws ToolFailure {
        int times = echo.times() == null ? 1 : echo.times();
        if (times > repeatLimit) {
            throw new ToolFailure("At most " + repeatLimit + " repetitions; ask for fewer.");
        }
        return ToolResult.json(Map.of("echo", (prefix + echo.text()).repeat(times)));
    }

    private ToolResult waitForRelease() throws ToolFailure {
        entered.countDown();
        try {
            if (!release.await(30, TimeUnit.SECONDS)) {
                throw new ToolFailure("Never released");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ToolFailure("Interrupted");
        }
        return ToolResult.text("released");
    }
}
