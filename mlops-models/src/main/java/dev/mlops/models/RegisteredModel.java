package dev.mlops.models;

import java.time.Instant;
import java.util.Map;
import java.util.Objects;

/**
 * A registered model: a three-level name with description, tags and aliases.
 *
 * <pre>{@code
 * RegisteredModel m = registry.getModel("main.ml.churn");
 * m.aliases().get("champion");   // version number
 * }</pre>
 *
 * @param name {@code catalog.schema.name}, lower case
 * @param description free text
 * @param tags tags
 * @param createdAt when it was created
 * @param updatedAt when its description, tags or aliases last changed
 * @param aliases alias to version number
 */
public record RegisteredModel(String name, String description, Map<String, String> tags, Instant createdAt,
    Instant updatedAt, Map<String, Integer> aliases) {
  /** Validates and copies. */
  public RegisteredModel {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(description, "description");
    Objects.requireNonNull(createdAt, "createdAt");
    Objects.requireNonNull(updatedAt, "updatedAt");
    tags = Map.copyOf(tags);
    aliases = Map.copyOf(aliases);
  }
}
