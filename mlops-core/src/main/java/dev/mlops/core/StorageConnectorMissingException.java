package dev.mlops.core;

import java.util.List;

/**
 * A workspace or table URI names a storage scheme ({@code hdfs://}, {@code s3a://}, {@code abfss://},
 * {@code gs://}, ...) whose Hadoop connector is not on the class path. The SDK brings only the part
 * of Hadoop that local disks need; remote storage needs its connector jars, which
 * {@link #artifacts()} names (Maven coordinates at the Hadoop version on the class path). Nothing
 * was opened or changed.
 *
 * <pre>{@code
 * try {
 *   Workspace.open(URI.create("s3a://bucket/lakehouse"), Map.of());
 * } catch (StorageConnectorMissingException e) {
 *   System.err.println(e.scheme() + " needs " + e.artifacts());   // s3a needs [org.apache.hadoop:hadoop-aws:3.4.3, ...]
 * }
 * }</pre>
 */
public class StorageConnectorMissingException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final String scheme;
  private final List<String> artifacts;

  /**
   * @param message what, why and how to fix
   * @param scheme the URI scheme without its colon, e.g. {@code s3a}
   * @param artifacts Maven coordinates ({@code group:artifact:version}) to add, in order; may be empty
   *     when the SDK does not know the connector of the scheme
   * @param cause the class-loading failure, or null
   */
  public StorageConnectorMissingException(String message, String scheme, List<String> artifacts, Throwable cause) {
    super(message, cause);
    this.scheme = scheme;
    this.artifacts = List.copyOf(artifacts);
  }

  /** The URI scheme without its colon, e.g. {@code s3a}. */
  public String scheme() {
    return scheme;
  }

  /** Maven coordinates ({@code group:artifact:version}) to add; empty when the connector is unknown. */
  public List<String> artifacts() {
    return artifacts;
  }
}
