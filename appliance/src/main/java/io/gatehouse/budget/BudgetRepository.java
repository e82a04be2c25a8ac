package io.gatehouse.budget;

import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * Budget rules, rate limits and the views of them. Roles and users are read here with this feature's own SQL
 * (the role's all-models token default is {@code roles.monthly_token_budget}, shared with the Roles page).
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
interface BudgetRepository extends GenericRepository<BudgetRepository.GlobalRule, String> {

    @MappedEntity("budget_global_rules")
    record GlobalRule(@Id String model, @Nullable Long monthlyTokens, @Nullable BigDecimal monthlyCost, Instant updatedAt) {
    }

    @Introspected
    record RoleRule(UUID roleId, String roleName, String model, @Nullable Long monthlyTokens, @Nullable BigDecimal monthlyCost) {
    }

    @Introspected
    record UserRule(UUID userId, String email, String model, @Nullable Long monthlyTokens, @Nullable BigDecimal monthlyCost) {
    }

    @Introspected
    record UserRate(UUID userId, String email, int requestsPerMinute) {
    }

    @Introspected
    record Named(UUID id, String name) {
    }

    /** A person's usage of all models this month next to their own and their roles' all-models amounts. */
    @Introspected
    record PersonUsage(UUID userId, String email, long usedTokens, BigDecimal usedCost, @Nullable Long ownTokens,
                       @Nullable BigDecimal ownCost, @Nullable Long roleTokens, @Nullable BigDecimal roleCost) {
    }

    /** Every stored amount that can limit this person calling this model (see {@link Limits}). */
    @Query("""
            select 'USER' as level, model, monthly_tokens, monthly_cost from budget_user_rules
             where user_id = :userId and model in ('*', :model)
            union all
            select 'ROLE', '*',
                   (select max(r.monthly_token_budget) from roles r join user_roles ur on ur.role_id = r.id where ur.user_id = :userId),
                   (select max(b.monthly_cost) from budget_role_rules b join user_roles ur on ur.role_id = b.role_id
                     where ur.user_id = :userId and b.model = '*')
            union all
            select 'ROLE', b.model, max(b.monthly_tokens), max(b.monthly_cost) from budget_role_rules b
              join user_roles ur on ur.role_id = b.role_id where ur.user_id = :userId and b.model = :model group by b.model
            union all
            select 'GLOBAL', model, monthly_tokens, monthly_cost from budget_global_rules where model in ('*', :model)""")
    List<RuleRow> rulesFor(UUID userId, String model);

    /** As {@link #rulesFor} for every model at once (the person's own view lists each model that has a rule). */
    @Query("""
            select 'USER' as level, model, monthly_tokens, monthly_cost from budget_user_rules where user_id = :userId
            union all
            select 'ROLE', '*',
                   (select max(r.monthly_token_budget) from roles r join user_roles ur on ur.role_id = r.id where ur.user_id = :userId),
                   (select max(b.monthly_cost) from budget_role_rules b join user_roles ur on ur.role_id = b.role_id
                     where ur.user_id = :userId and b.model = '*')
            union all
            select 'ROLE', b.model, max(b.monthly_tokens), max(b.monthly_cost) from budget_role_rules b
              join user_roles ur on ur.role_id = b.role_id where ur.user_id = :userId and b.model <> '*' group by b.model
            union all
            select 'GLOBAL', model, monthly_tokens, monthly_cost from budget_global_rules""")
    List<RuleRow> allRulesFor(UUID userId);

    // --- global rules

    @Query("select model, monthly_tokens, monthly_cost, updated_at from budget_global_rules order by model = '*' desc, model")
    List<GlobalRule> globalRules();

    @Query("select monthly_tokens, monthly_cost from budget_global_rules where model = :model")
    Optional<Amounts> globalRule(String model);

    @Query("""
            insert into budget_global_rules (model, monthly_tokens, monthly_cost, updated_at) values (:model, :tokens, :cost, :at)
            on conflict (model) do update set monthly_tokens = excluded.monthly_tokens, monthly_cost = excluded.monthly_cost,
                updated_at = excluded.updated_at""")
    void upsertGlobalRule(String model, @Nullable Long tokens, @Nullable BigDecimal cost, Instant at);

    @Query("delete from budget_global_rules where model = :model")
    void deleteGlobalRule(String model);

    // --- role rules

    /** Every role's all-models defaults (tokens from the role itself) and its per-model rules, in no order. */
    @Query("""
            select r.id as role_id, r.name as role_name, '*' as model, r.monthly_token_budget as monthly_tokens, b.monthly_cost
              from roles r left join budget_role_rules b on b.role_id = r.id and b.model = '*'
            union all
            select r.id, r.name, b.model, b.monthly_tokens, b.monthly_cost
              from budget_role_rules b join roles r on r.id = b.role_id where b.model <> '*'""")
    List<RoleRule> roleRules();

    @Query("""
            select (select monthly_token_budget from roles where id = :roleId) as monthly_tokens,
                   (select monthly_cost from budget_role_rules where role_id = :roleId and model = '*') as monthly_cost""")
    Amounts roleDefaults(UUID roleId);

    @Query("select monthly_tokens, monthly_cost from budget_role_rules where role_id = :roleId and model = :model")
    Optional<Amounts> roleRule(UUID roleId, String model);

    @Query("update roles set monthly_token_budget = :tokens where id = :roleId")
    void setRoleTokenDefault(UUID roleId, @Nullable Long tokens);

    @Query("""
            insert into budget_role_rules (role_id, model, monthly_tokens, monthly_cost, updated_at) values (:roleId, :model, :tokens, :cost, :at)
            on conflict (role_id, model) do update set monthly_tokens = excluded.monthly_tokens, monthly_cost = excluded.monthly_cost,
                updated_at = excluded.updated_at""")
    void upsertRoleRule(UUID roleId, String model, @Nullable Long tokens, @Nullable BigDecimal cost, Instant at);

    @Query("delete from budget_role_rules where role_id = :roleId and model = :model")
    void deleteRoleRule(UUID roleId, String model);

    // --- user rules

    @Query("""
            select b.user_id, u.email, b.model, b.monthly_tokens, b.monthly_cost from budget_user_rules b join users u on u.id = b.user_id
            order by lower(u.email), b.model = '*' desc, b.model""")
    List<UserRule> userRules();

    @Query("select monthly_tokens, monthly_cost from budget_user_rules where user_id = :userId and model = :model")
    Optional<Amounts> userRule(UUID userId, String model);

    @Query("""
            insert into budget_user_rules (user_id, model, monthly_tokens, monthly_cost, updated_at) values (:userId, :model, :tokens, :cost, :at)
            on conflict (user_id, model) do update set monthly_tokens = excluded.monthly_tokens, monthly_cost = excluded.monthly_cost,
                updated_at = excluded.updated_at""")
    void upsertUserRule(UUID userId, String model, @Nullable Long tokens, @Nullable BigDecimal cost, Instant at);

    @Query("delete from budget_user_rules where user_id = :userId and model = :model")
    void deleteUserRule(UUID userId, String model);

    // --- rate limits

    @Query("select requests_per_minute from budget_settings")
    Optional<Integer> defaultRate();

    @Query("update budget_settings set requests_per_minute = :perMinute")
    void setDefaultRate(@Nullable Integer perMinute);

    @Query("""
            select l.user_id, u.email, l.requests_per_minute from budget_user_rate_limits l join users u on u.id = l.user_id
            order by lower(u.email)""")
    List<UserRate> userRates();

    @Query("select requests_per_minute from budget_user_rate_limits where user_id = :userId")
    Optional<Integer> userRate(UUID userId);

    @Query("""
            insert into budget_user_rate_limits (user_id, requests_per_minute, updated_at) values (:userId, :perMinute, :at)
            on conflict (user_id) do update set requests_per_minute = excluded.requests_per_minute, updated_at = excluded.updated_at""")
    void upsertUserRate(UUID userId, int perMinute, Instant at);

    @Query("delete from budget_user_rate_limits where user_id = :userId")
    void deleteUserRate(UUID userId);

    // --- lookups

    @Query("select id, email as name from users where lower(email) = lower(:email)")
    Optional<Named> userByEmail(String email);

    @Query("select id, name from roles where cast(id as text) = lower(:key) or lower(name) = lower(:key)")
    Optional<Named> role(String key);

    @Query("select name from models order by name")
    List<String> modelNames();

    // --- usage views

    /** This month's usage of all models per person, busiest first, with the amounts that limit them. */
    @Query("""
            select u.id as user_id, u.email, coalesce(s.tokens, 0) as used_tokens, coalesce(s.cost, 0) as used_cost,
                   o.monthly_tokens as own_tokens, o.monthly_cost as own_cost,
                   (select max(r.monthly_token_budget) from roles r join user_roles ur on ur.role_id = r.id where ur.user_id = u.id) as role_tokens,
                   (select max(b.monthly_cost) from budget_role_rules b join user_roles ur on ur.role_id = b.role_id
                     where ur.user_id = u.id and b.model = '*') as role_cost
              from users u
              left join budget_usage s on s.user_id = u.id and s.month = :month and s.model = '*'
              left join budget_user_rules o on o.user_id = u.id and o.model = '*'
             where u.status = 'ACTIVE'
             order by coalesce(s.tokens, 0) desc, lower(u.email)
             limit :limit""")
    List<PersonUsage> usage(LocalDate month, int limit);
}
