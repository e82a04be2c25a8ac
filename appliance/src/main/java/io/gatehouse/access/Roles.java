package io.gatehouse.access;

import io.gatehouse.error.GatehouseException;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;

/** The role list: the four built-in roles and the custom ones admins add (Finance, Sales ...). */
@Singleton
public final class Roles {

    private static final Pattern NAME = Pattern.compile("^[\\p{L}\\p{N}][\\p{L}\\p{N} ._-]{0,49}$");

    private final RoleRepository roles;
    private final GrantResolver grants;
    private final Clock clock;

    Roles(RoleRepository roles, GrantResolver grants, Clock clock) {
        this.roles = roles;
        this.grants = grants;
        this.clock = clock;
    }

    public List<Role> list() {
        return roles.listAll();
    }

    public Role create(String name, String description) {
        String n = name == null ? "" : name.strip();
        if (!NAME.matcher(n).matches()) {
            throw new GatehouseException.BadRequest("invalid-role-name",
                    "A role name is 1 to 50 letters, digits, spaces, dots, dashes or underscores.", "name");
        }
        if (roles.findByNameIgnoreCase(n).isPresent()) {
            throw new GatehouseException.Conflict("role-exists", "A role named " + n + " already exists.");
        }
        String d = description == null ? "" : description.strip();
        if (d.length() > 300) {
            throw new GatehouseException.BadRequest("invalid-description", "Keep the description under 300 characters.", "description");
        }
        return roles.save(new Role(UUID.randomUUID(), n, d, false, clock.instant()));
    }

    public void delete(UUID id) {
        Role role = roles.findById(id).orElseThrow(() -> new GatehouseException.NotFound("role-not-found", "No role with this id."));
        if (role.builtin()) {
            throw new GatehouseException.Conflict("builtin-role", "Built-in roles cannot be deleted.");
        }
        roles.deleteById(id);
        grants.invalidateAll();
    }
}
