package io.gatehouse.retention;

import io.gatehouse.auth.Caller;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.Put;
import io.micronaut.http.annotation.RequestAttribute;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;

/**
 * The retention page's API (admins only, like every {@code /api/v1/admin} path): the periods, the recent purge runs
 * and audit archives, "Run purge now" and "Archive audit rows now".
 */
@Controller("/api/v1/admin/retention")
@ExecuteOn(TaskExecutors.BLOCKING)
final class RetentionAdminController {

    private final RetentionSettings settings;
    private final RetentionPurge purge;
    private final AuditArchival archival;
    private final NightlyRetention nightly;
    private final RetentionRepository repository;

    RetentionAdminController(RetentionSettings settings, RetentionPurge purge, AuditArchival archival, NightlyRetention nightly,
                             RetentionRepository repository) {
        this.settings = settings;
        this.purge = purge;
        this.archival = archival;
        this.nightly = nightly;
        this.repository = repository;
    }

    record ArchiveView(long lastSeq, long rows, String fileName, String sha256, String lastHash, Instant archivedAt) {
    }

    /** {@code nextRunAt} is in the installation's time zone (its offset included), the other times in UTC. */
    record State(RetentionSettings.SettingsView settings, String nextRunAt, String archiveDirectory,
                 List<RetentionRepository.RunRow> runs, List<ArchiveView> archives) {
    }

    @Get
    State state() {
        HexFormat hex = HexFormat.of();
        return new State(settings.view(), nightly.nextRun().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME), archival.directory().toString(),
                repository.recentRuns(20), repository.recentArchives(20).stream()
                .map(a -> new ArchiveView(a.lastSeq(), a.rowCount(), a.fileName(), hex.formatHex(a.fileSha256()), hex.formatHex(a.lastHash()),
                        a.archivedAt())).toList());
    }

    @Put
    RetentionSettings.SettingsView update(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller,
                                          @Nullable @Body RetentionSettings.Periods periods) {
        return settings.update(caller, periods);
    }

    @Post("/purge")
    RetentionPurge.PurgeResult purgeNow(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return purge.runNow(caller);
    }

    @Post("/archive")
    AuditArchival.Archived archiveNow(@RequestAttribute(Caller.REQUEST_ATTRIBUTE) Caller caller) {
        return archival.archiveNow(caller);
    }
}
