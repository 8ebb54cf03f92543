package dev.mlops.core;

import java.util.Optional;
import java.util.OptionalLong;

/**
 * A table's files are damaged or missing: a Delta log commit file that is empty, truncated or not
 * JSON, a log with a gap between versions or without the table's metadata, or a data file the log
 * references that is gone (deleted, or vacuumed before a time-travel read). Reads fail with it and
 * writes are refused, so nothing is built on top of damage; the message names the table, the version
 * and the file and says how to recover.
 *
 * <pre>{@code
 * try {
 *   table.read().load();
 * } catch (CorruptTableException e) {
 *   log.error("{} v{}: {}", e.table(), e.version(), e.file());
 * }
 * }</pre>
 */
public class CorruptTableException extends StorageException {
  private static final long serialVersionUID = 1L;

  private final String table;
  private final Long version;
  private final String file;

  /**
   * @param table the table's name or location
   * @param version the damaged version, or null when unknown
   * @param file the damaged or missing file, or null when unknown
   * @param message what, why and how to recover
   * @param cause the engine error, or null
   */
  public CorruptTableException(String table, Long version, String file, String message, Throwable cause) {
    super(message, cause);
    this.table = table;
    this.version = version;
    this.file = file;
  }

  /** The table's name (or location for a table opened by path). */
  public String table() {
    return table;
  }

  /** The damaged version, when known. */
  public OptionalLong version() {
    return version == null ? OptionalLong.empty() : OptionalLong.of(version);
  }

  /** The damaged or missing file, when known. */
  public Optional<String> file() {
    return Optional.ofNullable(file);
  }
}
