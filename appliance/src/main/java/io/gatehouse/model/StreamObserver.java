package io.gatehouse.model;

/** Receives a streamed answer chunk by chunk; providers stop reading upstream once it is cancelled. */
public interface StreamObserver {

    void onDelta(String text);

    default boolean cancelled() {
        return false;
    }
}
