package io.gatehouse.chat;

import io.gatehouse.connector.ToolOutcome;
import io.gatehouse.model.StreamObserver;

/** Watches a whole chat turn: answer text as it streams, and each tool step as it completes. */
public interface TurnObserver extends StreamObserver {

    default void onToolStep(ToolOutcome outcome) {
    }
}
