package dev.mlops.models.internal;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Validation of every name that becomes part of a path: experiment names, param/metric/tag keys,
 * aliases, run ids and artifact paths. Each rule keeps the name inside its directory (no '/', no
 * '..', no leading '.' that could clash with temp files) and the messages say what, why and how to fix.
 */
public final class Names {
  private Names() {}

  private static final Pattern KEY = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,249}");
  private static final Pattern EXPERIMENT = Pattern.compile("[a-z0-9_][a-z0-9_.\\-]{0,199}");
  private static final Pattern ALIAS = Pattern.compile("[a-z][a-z0-9_\\-]{0,254}");
  private static final Pattern VERSION_LIKE = Pattern.compile("v[0-9]+");
  private static final Pattern RUN_ID = Pattern.compile("[0-9a-f]{32}");
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.\\-]{0,254}");

  /** A param, metric or tag key: 1-250 letters, digits, '_', '.', '-', not starting with '.' or '-'. */
  public static String key(String key, String what) {
    if (key == null || !KEY.matcher(key).matches() || key.contains("..")) {
      throw Errors.badKey(what, quote(key));
    }
    return key;
  }

  /** An experiment name, lower-cased: 1-200 letters, digits, '_', '.', '-'. */
  public static String experiment(String name) {
    String lower = name == null ? null : name.toLowerCase(Locale.ROOT);
    if (lower == null || !EXPERIMENT.matcher(lower).matches() || lower.contains("..")) {
      throw Errors.badExperimentName(quote(name));
    }
    return lower;
  }

  /** An alias, lower-cased: a letter then letters, digits, '_' or '-'; not 'latest' nor 'v<number>'. */
  public static String alias(String alias, String model) {
    String lower = alias == null ? null : alias.toLowerCase(Locale.ROOT);
    if (lower == null || !ALIAS.matcher(lower).matches()) {
      throw Errors.badAlias(quote(alias), model);
    }
    if (lower.equals("latest") || VERSION_LIKE.matcher(lower).matches()) {
      throw Errors.reservedAlias(alias, model);
    }
    return lower;
  }

  /** A run id: 32 lower-case hex digits. */
  public static String runId(String id) {
    if (id == null || !RUN_ID.matcher(id).matches()) {
      throw Errors.badRunId(quote(id));
    }
    return id;
  }

  /**
   * A relative artifact path ('' for the root, else '/'-separated segments of letters, digits, '_',
   * '.', '-', none empty, '.' or '..', none starting with '.').
   */
  public static String artifactPath(String path) {
    if (path == null) {
      throw Errors.nullArtifactPath();
    }
    String p = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    if (p.isEmpty()) {
      return "";
    }
    for (String seg : p.split("/", -1)) {
      if (!SEGMENT.matcher(seg).matches() || seg.equals("..")) {
        throw Errors.badArtifactPath(path, quote(seg));
      }
    }
    return p;
  }

  /** The text quoted for a message, or "null". */
  public static String quote(String s) {
    return s == null ? "null" : "'" + s + "'";
  }
}
