package io.gatehouse.connector;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonProperty;
import io.micronaut.core.annotation.Nullable;
import java.util.List;

/**
 * What a connector kind declares about itself in its {@code connector.json}: its tools with their
 * read/destructive nature, the configuration it takes (which fields are secret), and the hosts it must reach.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ConnectorManifest(String id, String version, String description, List<ToolEntry> tools,
                                List<ConfigField> config, @Nullable List<String> egress) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ToolEntry(String name, boolean readOnly, boolean destructive) {
    }

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ConfigField(String name, String env, String type, boolean secret, boolean required,
                              @Nullable String description, @JsonProperty("default") @Nullable String defaultValue) {
    }
}
