package dev.mlops.models;

import dev.mlops.core.MlopsException;
import java.nio.file.Path;

/**
 * A file of the registry or of a run was written by a newer SDK release, in a format version this
 * release does not read. Nothing was changed; upgrade the SDK to read it.
 *
 * <pre>{@code
 * try {
 *   registry.getVersion("main.ml.churn", 3);
 * } catch (UnsupportedFormatException e) {
 *   e.file();            // .../versions/3/version.json
 *   e.formatVersion();   // e.g. 2
 *   e.supported();       // 1
 * }
 * }</pre>
 */
public class UnsupportedFormatException extends MlopsException {
  private static final long serialVersionUID = 1L;

  private final transient Path file;
  private final int formatVersion;
  private final int supported;

  /**
   * An exception naming the file and both versions.
   *
   * @param message what, why and how to fix
   * @param file the file
   * @param formatVersion the format version the file declares
   * @param supported the newest format version this release reads
   */
  public UnsupportedFormatException(String message, Path file, int formatVersion, int supported) {
    super(message);
    this.file = file;
    this.formatVersion = formatVersion;
    this.supported = supported;
  }

  /**
   * The file that was refused.
   *
   * @return its path
   */
  public Path file() {
    return file;
  }

  /**
   * The format version the file declares.
   *
   * @return a number greater than {@link #supported()}
   */
  public int formatVersion() {
    return formatVersion;
  }

  /**
   * The newest format version this SDK release reads for that file.
   *
   * @return the version
   */
  public int supported() {
    return supported;
  }
}
