package io.gatehouse.siem;

/** How events reach the collector. */
enum Transport {
    /** {@code POST} of {@code application/x-ndjson} batches; a 2xx answer acknowledges the batch. */
    HTTP,
    /** RFC 5424 messages over TCP with RFC 6587 octet-counting framing; written and flushed counts as delivered. */
    SYSLOG_TCP
}
