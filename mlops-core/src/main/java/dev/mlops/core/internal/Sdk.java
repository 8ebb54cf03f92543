package dev.mlops.core.internal;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The SDK's own version (from the build), for provenance and Delta commit info. */
public final class Sdk {
  private Sdk() {}

  /** e.g. "0.1.0-SNAPSHOT"; "dev" when run from unfiltered sources. */
  public static final String VERSION = load();

  private static String load() {
    try (InputStream in = Sdk.class.getResourceAsStream("/dev/mlops/core/sdk.properties")) {
      if (in == null) {
        return "dev";
      }
      Properties p = new Properties();
      p.load(in);
      String v = p.getProperty("version", "dev");
      return v.startsWith("${") ? "dev" : v;
    } catch (IOException e) {
      return "dev";
    }
  }
}
