package io.gatehouse.siem;

import io.gatehouse.audit.AuditRecord;
import java.util.List;

/** Where batches of audit events go. {@link #send} returns only once the collector has them. */
sealed interface Collector permits HttpCollector, SyslogTcpCollector {

    /** Delivers the rows in order; throws if the collector could not be reached or did not acknowledge. */
    void send(List<AuditRecord> rows) throws DeliveryException;
}
