package io.gatehouse.access;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.util.List;
import java.util.UUID;

/** Role grants: models, tool grants, prompt and budget, read per user (through their roles) or per role. */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface GrantRepository extends GenericRepository<Role, UUID> {

    @Introspected
    record ToolGrantRow(UUID id, UUID roleId, String connectorName, String toolName, String access, @Nullable String trustLevel,
                        @Nullable Integer maxCallsPerDay, @Nullable String argumentLimits, @Nullable String approver) {
    }

    @Query("select distinct role_id from user_roles where user_id = :userId")
    List<UUID> roleIdsOf(UUID userId);

    @Query("select g.* from role_tool_grants g where g.role_id in (:roleIds)")
    List<ToolGrantRow> toolGrantsOf(List<UUID> roleIds);

    @Query("select model_name from role_models where role_id in (:roleIds)")
    List<String> modelsOf(List<UUID> roleIds);

    @Query("select system_prompt from roles where id in (:roleIds) and system_prompt <> '' order by name")
    List<String> promptsOf(List<UUID> roleIds);

    @Query("select * from role_tool_grants where role_id = :roleId order by connector_name, tool_name")
    List<ToolGrantRow> toolGrantsOfRole(UUID roleId);

    @Query("select model_name from role_models where role_id = :roleId order by model_name")
    List<String> modelsOfRole(UUID roleId);

    @Query("delete from role_tool_grants where role_id = :roleId")
    void clearToolGrants(UUID roleId);

    @Query("""
            insert into role_tool_grants (id, role_id, connector_name, tool_name, access, trust_level, max_calls_per_day,
                                          argument_limits, approver)
            values (:id, :roleId, :connectorName, :toolName, :access, :trustLevel, :maxCallsPerDay, :argumentLimits, :approver)""")
    void addToolGrant(UUID id, UUID roleId, String connectorName, String toolName, String access, @Nullable String trustLevel,
                      @Nullable Integer maxCallsPerDay, @Nullable String argumentLimits, @Nullable String approver);

    @Query("delete from role_models where role_id = :roleId")
    void clearModels(UUID roleId);

    @Query("insert into role_models (role_id, model_name) values (:roleId, :model) on conflict do nothing")
    void addModel(UUID roleId, String model);

    @Query("update roles set system_prompt = :prompt, monthly_token_budget = :budget where id = :roleId")
    void updatePromptAndBudget(UUID roleId, String prompt, @Nullable Long budget);

    @Query("select monthly_token_budget from roles where id = :roleId")
    @Nullable
    Long budgetOf(UUID roleId);

    @Query("select system_prompt from roles where id = :roleId")
    String promptOf(UUID roleId);
}
