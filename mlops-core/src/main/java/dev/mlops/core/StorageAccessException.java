package dev.mlops.core;

import java.net.URI;

/**
 * The storage of a workspace could not be reached or refused access: a wrong endpoint or host, a
 * bucket or container that does not exist, missing or wrong credentials. The message names the
 * workspace URI and the Hadoop settings to check; it never contains credentials (they are removed
 * from the message of the underlying error too, which is kept as the cause). Nothing was changed.
 *
 * <pre>{@code
 * try (Workspace ws = Workspace.open(URI.create("s3a://lake/prod/"), conf)) {
 *   ws.tables().create("main.crm.customers").schema(schema).create();
 * } catch (StorageAccessException e) {
 *   System.err.println(e.root() + ": " + e.getMessage());   // e.g. "... check fs.s3a.endpoint ..."
 * }
 * }</pre>
 */
public class StorageAccessException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final URI root;

  /**
   * @param message what failed, why, and which settings to check (no credentials)
   * @param root the workspace (or table) URI whose storage failed
   * @param cause the underlying error, with credentials removed from its message
   */
  public StorageAccessException(String message, URI root, Throwable cause) {
    super(message, cause);
    this.root = root;
  }

  /** The workspace (or table) URI whose storage could not be reached or refused access. */
  public URI root() {
    return root;
  }
}
