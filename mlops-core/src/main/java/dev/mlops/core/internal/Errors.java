package dev.mlops.core.internal;

import dev.mlops.core.InvalidNameException;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place that builds the SDK's argument checks and their messages (problem, why, fix).
 * Internal: other modules may call it; users should not.
 */
public final class Errors {
  private Errors() {}

  // Control characters are refused everywhere. Delta reserves " ,;{}()\n\t=" only in tables without
  // column mapping (where the name is the Parquet column name); every table the SDK creates has column
  // mapping, and Spark tables with mapping use such names, so they are checked only where a table has none.
  private static final Pattern RESERVED_WITHOUT_MAPPING = Pattern.compile("[ ,;{}()=]");

  /** Column names: non-empty, at most 255 chars, no control characters. */
  public static void checkColumnName(String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidNameException("A column name is empty or null: give every column a name.");
    }
    if (name.length() > 255) {
      throw new InvalidNameException("Column name '" + name.substring(0, 40) + "...' has "
          + name.length() + " characters; the limit is 255. Use a shorter name.");
    }
    if (hasControlChar(name)) {
      throw new InvalidNameException("Column name '" + printable(name) + "' contains a control character."
          + " Use printable characters.");
    }
  }

  /**
   * Column names of a table without Delta column mapping, which Delta keeps as Parquet column names:
   * no space and none of {@code ,;{}()=} either.
   */
  public static void checkColumnNameWithoutMapping(String name, String table) {
    checkColumnName(name);
    if (RESERVED_WITHOUT_MAPPING.matcher(name).find()) {
      throw new InvalidNameException("Column name '" + name + "' of table " + table + " contains a space or one of"
          + " ,;{}()=, which Delta allows only in tables with column mapping, and this table has none ("
          + "delta.columnMapping.mode=none). Rename the column, or keep column mapping on (the SDK's default).");
    }
  }

  // A loop, not a regex: every Field and Column checks its name, and small frames are built by the
  // thousand on the serving and monitoring paths (a Matcher per name was the top CPU item there).
  private static boolean hasControlChar(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) { // what \p{Cntrl} matched
        return true;
      }
    }
    return false;
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Requires a non-null argument, naming it. */
  public static <T> T notNull(T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must not be null.");
    }
    return value;
  }
}
