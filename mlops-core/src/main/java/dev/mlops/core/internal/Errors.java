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

  // Delta Lake's reserved characters without column mapping (" ,;{}()\n\t="), plus every other
  // control character, as Field's Javadoc promises.
  private static final Pattern BAD_COLUMN_CHARS = Pattern.compile("[ ,;{}()=\\p{Cntrl}]");

  /** Column names: non-empty, at most 255 chars, none of Delta's reserved characters, no control characters. */
  public static void checkColumnName(String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidNameException("A column name is empty or null: give every column a name.");
    }
    if (name.length() > 255) {
      throw new InvalidNameException("Column name '" + name.substring(0, 40) + "...' has "
          + name.length() + " characters; the limit is 255. Use a shorter name.");
    }
    if (BAD_COLUMN_CHARS.matcher(name).find()) {
      throw new InvalidNameException("Column name '" + printable(name) + "' contains a space, one of ,;{}()="
          + " or a control character, which Delta Lake does not allow in column names."
          + " Use letters, digits and underscores.");
    }
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
