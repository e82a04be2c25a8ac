package io.gatehouse.access;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * What a person may use: the union of their roles' grants. Decisions here are pure functions of the grants
 * and the request, so they can be tested exhaustively; nothing the model says is an input.
 */
public record Grants(UUID userId, List<UUID> roleIds, Set<String> models, List<ToolGrant> tools, List<String> systemPrompts) {

    public static Grants none(UUID userId) {
        return new Grants(userId, List.of(), Set.of(), List.of(), List.of());
    }

    public boolean allowsModel(String model) {
        return models.contains(ToolGrant.ANY) || models.contains(model);
    }

    /**
     * The grant that lets this person call the tool, if any. A read tool is covered by a READ grant (wildcards
     * allowed) or by an ACTION grant for exactly it; an action tool only by an ACTION grant naming it — never
     * by a wildcard, so a new action tool on a connector is not runnable until an admin says so. Among several
     * ACTION grants the least cautious trust level wins (grants are a union).
     */
    public Optional<ToolGrant> grantFor(String connector, String tool, boolean readTool) {
        Optional<ToolGrant> action = tools.stream()
                .filter(g -> g.action() && g.connector().equals(connector) && g.tool().equals(tool))
                .max(Comparator.comparing(ToolGrant::trust));
        if (action.isPresent() || !readTool) {
            return action;
        }
        return tools.stream().filter(g -> !g.action() && g.covers(connector, tool)).findFirst();
    }
}
