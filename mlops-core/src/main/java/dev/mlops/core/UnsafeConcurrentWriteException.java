package dev.mlops.core;

/**
 * A write to a table on object storage was refused because it could not be made safe next to
 * another process writing the same table: the store gives this process no put-if-absent (an S3
 * conditional write, {@code If-None-Match: *}), which is how a Delta commit claims its version
 * without overwriting another writer's commit. Without it the SDK lets one process at a time write a
 * table (a writer lease under the workspace's {@code .mlops/writers/}) and refuses the others with
 * this exception instead of risking a lost commit. Nothing of the write was committed.
 *
 * <p>The message says why conditional writes are unavailable ({@link #reason()}) and how to fix it:
 * enable them (Amazon S3 and most S3-compatible stores support them; Hadoop's
 * {@code fs.s3a.create.conditional.enabled} must not be {@code false}; hadoop-aws 3.4.2 or newer), or
 * write the table from one process at a time.
 *
 * <pre>{@code
 * try {
 *   table.append(frame);
 * } catch (UnsafeConcurrentWriteException e) {
 *   System.err.println(e.table() + ": " + e.reason());
 * }
 * }</pre>
 */
public class UnsafeConcurrentWriteException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final String table;
  private final String reason;

  /**
   * @param message what, why and how to fix
   * @param table the table location the write was for
   * @param reason why the store gives no conditional write
   */
  public UnsafeConcurrentWriteException(String message, String table, String reason) {
    super(message, null);
    this.table = table;
    this.reason = reason;
  }

  /** The location of the table the refused write was for. */
  public String table() {
    return table;
  }

  /** Why the store gives this process no conditional write (put-if-absent). */
  public String reason() {
    return reason;
  }
}
