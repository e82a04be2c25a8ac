package io.gatehouse.connector;

import java.util.ArrayDeque;
import java.util.List;

/** The last lines a connector wrote, kept for the admin page and for start-up failure messages. */
final class LogTail {

    private final int capacity;
    private final ArrayDeque<String> lines = new ArrayDeque<>();

    LogTail(int capacity) {
        this.capacity = capacity;
    }

    synchronized void add(String line) {
        if (lines.size() == capacity) {
            lines.removeFirst();
        }
        lines.addLast(line.length() > 500 ? line.substring(0, 500) + "…" : line);
    }

    synchronized List<String> lines() {
        return List.copyOf(lines);
    }
}
