package dev.mlops.core;

import java.util.List;

/** A column named by the caller (in a selection, a filter, a key list) does not exist. */
public class ColumnNotFoundException extends NotFoundException {
  private static final long serialVersionUID = 1L;

  private final String column;

  /**
   * @param column the missing column
   * @param available the columns that do exist
   * @param where what was searched: a table name, "frame", "schema"
   */
  public ColumnNotFoundException(String column, List<String> available, String where) {
    super("Column '" + column + "' does not exist in " + where + ". Available columns: " + available
        + ". Check the spelling (names are case-sensitive).");
    this.column = column;
  }

  /** The name that was not found. */
  public String column() {
    return column;
  }
}
