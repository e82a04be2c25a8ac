package io.gatehouse.approval;

import io.gatehouse.auth.User;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.time.LocalDate;
import java.util.UUID;

/** Calls per person, action tool and day, in PostgreSQL so every portal node counts the same calls. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface ActionCallCountRepository extends GenericRepository<User, UUID> {

    @Query("""
            insert into action_call_counts (user_id, connector_name, tool_name, day, calls) values (:userId, :connector, :tool, :day, 0)
            on conflict do nothing""")
    void ensure(UUID userId, String connector, String tool, LocalDate day);

    /**
     * Takes one of the day's slots: 1 when there was one left, 0 when the limit is reached. PostgreSQL re-checks
     * {@code calls < max} on the locked row, so concurrent calls on any node never overshoot.
     */
    @Query("""
            update action_call_counts set calls = calls + 1
            where user_id = :userId and connector_name = :connector and tool_name = :tool and day = :day and calls < :max""")
    int take(UUID userId, String connector, String tool, LocalDate day, int max);
}
