package dev.mlops.core;

import java.nio.file.Path;
import java.util.Objects;

/**
 * A file of a multi-file import does not fit the others: one of its columns has another type than
 * the same column in an earlier file. Names the file and the column; nothing was imported.
 *
 * <pre>{@code
 * try {
 *   ws.tables().create("main.raw.events").createFrom(ParquetSource.of(Path.of("exports/events")));
 * } catch (FileSchemaMismatchException e) {
 *   System.err.println(e.file() + ": column " + e.column());   // convert or leave out that file
 * }
 * }</pre>
 */
public class FileSchemaMismatchException extends SchemaMismatchException {
  private static final long serialVersionUID = 1L;

  private final String file; // a String: Path is not Serializable
  private final String column;

  /**
   * @param file the file whose column differs
   * @param column the column
   * @param message what, why and how to fix
   */
  public FileSchemaMismatchException(Path file, String column, String message) {
    super(message);
    this.file = Objects.requireNonNull(file, "file").toString();
    this.column = Objects.requireNonNull(column, "column");
  }

  /** The file whose column differs from the earlier files. */
  public Path file() {
    return Path.of(file);
  }

  /** The column that differs. */
  public String column() {
    return column;
  }
}
