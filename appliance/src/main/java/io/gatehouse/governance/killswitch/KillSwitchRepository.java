package io.gatehouse.governance.killswitch;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** The switches and their history; labels (role name, user email) are joined in for the admin's view. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface KillSwitchRepository extends GenericRepository<KillSwitchRepository.HistoryEntry, Long> {

    @MappedEntity("kill_switch_history")
    record HistoryEntry(@Id Long id, String scope, String target, String action, String reason, @Nullable UUID actorId,
                        String actorEmail, Instant changedAt) {
    }

    @Introspected
    record SwitchRow(String scope, String target, String reason, @Nullable UUID changedBy, String changedByEmail,
                     Instant changedAt, @Nullable String label) {
    }

    @Introspected
    record HistoryRow(long id, String scope, String target, String action, String reason, @Nullable UUID actorId,
                      String actorEmail, Instant changedAt, @Nullable String label) {
    }

    @Introspected
    record Named(UUID id, String name) {
    }

    @Introspected
    record Engaged(String scope, String target) {
    }

    String LABEL = """
            case s.scope when 'ROLE' then (select r.name from roles r where cast(r.id as text) = s.target)
                         when 'USER' then (select u.email from users u where cast(u.id as text) = s.target) end as label""";

    /** What every node reloads, every poll: kept to the two columns a check needs. */
    @Query("select scope, target from kill_switches where engaged")
    List<Engaged> engagedTargets();

    @Query("select s.scope, s.target, s.reason, s.changed_by, s.changed_by_email, s.changed_at, " + LABEL
            + " from kill_switches s where s.engaged order by s.changed_at desc, s.scope, s.target")
    List<SwitchRow> engaged();

    @Query("""
            insert into kill_switches (scope, target, engaged, reason, changed_by, changed_by_email, changed_at)
            values (:scope, :target, true, :reason, :actorId, :actorEmail, :at)
            on conflict (scope, target) do update set engaged = true, reason = excluded.reason,
                changed_by = excluded.changed_by, changed_by_email = excluded.changed_by_email, changed_at = excluded.changed_at""")
    void engage(String scope, String target, String reason, UUID actorId, String actorEmail, Instant at);

    @Query("""
            update kill_switches set engaged = false, changed_by = :actorId, changed_by_email = :actorEmail, changed_at = :at
            where scope = :scope and target = :target and engaged""")
    int release(String scope, String target, UUID actorId, String actorEmail, Instant at);

    @Query("""
            insert into kill_switch_history (scope, target, action, reason, actor_id, actor_email, changed_at)
            values (:scope, :target, :action, :reason, :actorId, :actorEmail, :at)""")
    void append(String scope, String target, String action, String reason, UUID actorId, String actorEmail, Instant at);

    @Query("select s.id, s.scope, s.target, s.action, s.reason, s.actor_id, s.actor_email, s.changed_at, " + LABEL
            + " from kill_switch_history s order by s.id desc limit :limit offset :offset")
    List<HistoryRow> history(int limit, long offset);

    @Query("select count(*) from kill_switch_history")
    long historySize();

    @Query("select id, name from roles where cast(id as text) = lower(:key) or lower(name) = lower(:key)")
    Optional<Named> role(String key);

    @Query("select id, email as name from users where cast(id as text) = lower(:key) or lower(email) = lower(:key)")
    Optional<Named> user(String key);
}
