package dev.mlops.models;

import dev.mlops.core.InvalidNameException;
import dev.mlops.core.TableName;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.Names;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalInt;

/**
 * A parsed model URI. Accepted forms:
 * <ul>
 *   <li>{@code models:/<catalog.schema.name>/<version>} — a version number, e.g. {@code models:/main.ml.churn/3}</li>
 *   <li>{@code models:/<catalog.schema.name>/latest} — the highest version that is not deleted</li>
 *   <li>{@code models:/<catalog.schema.name>@<alias>} — e.g. {@code models:/main.ml.churn@champion}</li>
 *   <li>{@code runs:/<run-id>/<artifact-path>} — a package logged in a run, e.g. {@code runs:/4f…9a/model}</li>
 * </ul>
 *
 * <pre>{@code
 * ModelUri u = ModelUri.parse("models:/main.ml.churn@champion");
 * u.alias();   // Optional["champion"]
 * }</pre>
 *
 * @param kind which form
 * @param name the model name (empty for RUN)
 * @param version the version (VERSION only)
 * @param alias the alias (ALIAS only)
 * @param runId the run (RUN only)
 * @param artifactPath the artifact path (RUN only)
 */
public record ModelUri(Kind kind, Optional<String> name, OptionalInt version, Optional<String> alias,
    Optional<String> runId, Optional<String> artifactPath) {

  /** The URI forms. */
  public enum Kind {
    /** {@code models:/name/3}. */
    VERSION,
    /** {@code models:/name/latest}. */
    LATEST,
    /** {@code models:/name@alias}. */
    ALIAS,
    /** {@code runs:/id/path}. */
    RUN
  }

  /** Validates presence of the parts for the kind. */
  public ModelUri {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(artifactPath, "artifactPath");
  }

  private static final String FORMS = "Use models:/<catalog.schema.name>/<version>, models:/<catalog.schema.name>/latest, "
      + "models:/<catalog.schema.name>@<alias> or runs:/<run-id>/<artifact-path>, e.g. models:/main.ml.churn@champion.";

  /**
   * Parses a URI.
   *
   * @throws InvalidModelUriException quoting the URI and the accepted forms
   */
  public static ModelUri parse(String uri) {
    if (uri == null) {
      throw Errors.nullModelUri(FORMS);
    }
    try {
      if (uri.startsWith("models:/")) {
        String rest = uri.substring("models:/".length());
        int at = rest.indexOf('@');
        if (at >= 0) {
          String name = TableName.parse(rest.substring(0, at)).toString();
          String alias = Names.alias(rest.substring(at + 1), name);
          return new ModelUri(Kind.ALIAS, Optional.of(name), OptionalInt.empty(), Optional.of(alias),
              Optional.empty(), Optional.empty());
        }
        int slash = rest.indexOf('/');
        if (slash < 0) {
          throw bad(uri, "it names no version or alias");
        }
        String name = TableName.parse(rest.substring(0, slash)).toString();
        String v = rest.substring(slash + 1);
        if (v.equalsIgnoreCase("latest")) {
          return new ModelUri(Kind.LATEST, Optional.of(name), OptionalInt.empty(), Optional.empty(),
              Optional.empty(), Optional.empty());
        }
        if (!v.matches("[1-9][0-9]{0,8}")) {
          throw bad(uri, "'" + v + "' is not a version number (1, 2, 3, ...) nor 'latest'");
        }
        return new ModelUri(Kind.VERSION, Optional.of(name), OptionalInt.of(Integer.parseInt(v)),
            Optional.empty(), Optional.empty(), Optional.empty());
      }
      if (uri.startsWith("runs:/")) {
        String rest = uri.substring("runs:/".length());
        int slash = rest.indexOf('/');
        if (slash < 0 || slash == rest.length() - 1) {
          throw bad(uri, "it names no artifact path after the run id");
        }
        String id = Names.runId(rest.substring(0, slash));
        String path = Names.artifactPath(rest.substring(slash + 1));
        return new ModelUri(Kind.RUN, Optional.empty(), OptionalInt.empty(), Optional.empty(), Optional.of(id),
            Optional.of(path));
      }
    } catch (InvalidNameException e) {
      throw Errors.malformedModelUri(uri, FORMS, e);
    }
    throw bad(uri, "it starts with neither 'models:/' nor 'runs:/'");
  }

  private static InvalidModelUriException bad(String uri, String why) {
    return new InvalidModelUriException("Malformed model URI '" + uri + "': " + why + ". " + FORMS);
  }

  /** A URI for a version. */
  public static String of(String name, int version) {
    return "models:/" + TableName.parse(name) + "/" + version;
  }

  /** A URI for an alias. */
  public static String ofAlias(String name, String alias) {
    String n = TableName.parse(name).toString();
    return "models:/" + n + "@" + Names.alias(alias, n);
  }

  @Override
  public String toString() {
    switch (kind) {
      case VERSION: return "models:/" + name.orElseThrow() + "/" + version.getAsInt();
      case LATEST: return "models:/" + name.orElseThrow() + "/latest";
      case ALIAS: return "models:/" + name.orElseThrow() + "@" + alias.orElseThrow();
      default: return "runs:/" + runId.orElseThrow() + "/" + artifactPath.orElseThrow();
    }
  }
}
