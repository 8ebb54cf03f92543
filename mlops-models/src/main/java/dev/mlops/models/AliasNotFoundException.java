package dev.mlops.models;

/**
 * A model has no such alias; the message names the model, the alias and the aliases that exist.
 * A subclass of {@link ModelVersionNotFoundException}: an alias resolves to a version.
 */
public class AliasNotFoundException extends ModelVersionNotFoundException {
  private static final long serialVersionUID = 1L;

  /** @param message what went wrong, why, and how to fix it */
  public AliasNotFoundException(String message) {
    super(message);
  }
}
