package io.gatehouse.siem;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;
import io.gatehouse.audit.AuditRecord;
import jakarta.inject.Singleton;

/** Audit rows as one-line OCSF JSON: as UTF-8 for HTTP, with non-ASCII escaped for syslog. */
@Singleton
class OcsfLines {

    private final ObjectMapper json;
    private final ObjectWriter utf8;
    private final ObjectWriter ascii;

    OcsfLines(ObjectMapper json) {
        this.json = json;
        this.utf8 = json.writer();
        this.ascii = json.writer().with(JsonWriteFeature.ESCAPE_NON_ASCII);
    }

    String line(AuditRecord row) {
        return write(utf8, row);
    }

    String ascii(AuditRecord row) {
        return write(ascii, row);
    }

    private String write(ObjectWriter writer, AuditRecord row) {
        try {
            return writer.writeValueAsString(OcsfEvent.of(row, json));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Could not write audit row " + row.seq() + " as JSON", e);
        }
    }
}
