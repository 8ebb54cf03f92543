package dev.mlops.models;

/**
 * A model has no such alias; the message names the model, the alias and the aliases that exist.
 * A subclass of {@link ModelVersionNotFoundException}: an alias resolves to a version.
 *
 * <pre>{@code
 * try {
 *   registry.getVersion("main.ml.churn", "champion");
 * } catch (AliasNotFoundException e) {
 *   e.alias();   // "champion"
 * }
 * }</pre>
 */
public class AliasNotFoundException extends ModelVersionNotFoundException {
  private static final long serialVersionUID = 1L;

  private final String alias;

  /**
   * An exception naming the model and the alias.
   *
   * @param message what went wrong, why, and how to fix it
   * @param name the model name
   * @param alias the alias asked for
   */
  public AliasNotFoundException(String message, String name, String alias) {
    super(message, name, java.util.OptionalInt.empty());
    this.alias = alias;
  }

  /**
   * The alias asked for.
   *
   * @return e.g. {@code champion}
   */
  public String alias() {
    return alias;
  }
}
