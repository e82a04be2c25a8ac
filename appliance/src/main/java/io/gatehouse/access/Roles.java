package io.gatehouse.access;

import io.gatehouse.audit.ChangeAudit;
import io.gatehouse.auth.Caller;
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
    private final ChangeAudit changes;

    Roles(RoleRepository roles, GrantResolver grants, Clock clock, ChangeAudit changes) {
        this.changes = changes;
        this.roles = roles;
        this.grants = grants;
        this.clock = clock;
    }

    public List<Role> list() {
        return roles.listAll();
    }

    public Role create(Caller admin, String name, String description) {
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
        UUID id = UUID.randomUUID();
        return changes.around(admin.audit("role.created").target("role", id).detail("name", n),
                () -> roles.save(new Role(id, n, d, false, clock.instant())));
    }

    /** Its grants, user assignments and group mappings go with it. */
    public void delete(Caller admin, UUID id) {
        Role role = roles.findById(id).orElseThrow(() -> new GatehouseException.NotFound("role-not-found", "No role with this id."));
        if (role.builtin()) {
            throw new GatehouseException.Conflict("builtin-role", "Built-in roles cannot be deleted.");
        }
        changes.around(admin.audit("role.deleted").target("role", id).detail("name", role.name()), () -> {
            roles.deleteById(id);
            grants.invalidateAll();
        });
    }
}
