package dev.mlops.core.internal;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** Renders a frame as a readable text table for JShell and logs. */
public final class FrameFormat {
  private FrameFormat() {}

  private static final int MAX_CELL = 40;

  /** The first maxRows rows as an aligned table with a header and a row count footer. */
  public static String format(Frame f, int maxRows) {
    int shown = Math.min(Math.max(maxRows, 0), f.rowCount());
    int nc = f.columnCount();
    String[][] cells = new String[shown + 2][nc];
    int[] width = new int[nc];
    boolean[] right = new boolean[nc];
    for (int c = 0; c < nc; c++) {
      Column col = f.column(c);
      cells[0][c] = col.name();
      cells[1][c] = col.columnType().sql();
      right[c] = col.type().isNumeric();
      for (int r = 0; r < shown; r++) {
        cells[r + 2][c] = cell(col, r);
      }
      for (String[] row : cells) {
        width[c] = Math.max(width[c], row[c].length());
      }
    }
    StringBuilder sb = new StringBuilder();
    List<String> sep = new ArrayList<>();
    for (int c = 0; c < nc; c++) {
      sep.add("-".repeat(width[c]));
    }
    line(sb, cells[0], width, new boolean[nc]);
    line(sb, cells[1], width, new boolean[nc]);
    sb.append(String.join("-+-", sep)).append('\n');
    for (int r = 0; r < shown; r++) {
      line(sb, cells[r + 2], width, right);
    }
    sb.append('(').append(f.rowCount()).append(f.rowCount() == 1 ? " row" : " rows");
    if (shown < f.rowCount()) {
      sb.append(", first ").append(shown).append(" shown");
    }
    sb.append(", ").append(nc).append(nc == 1 ? " column)" : " columns)");
    return sb.toString();
  }

  private static void line(StringBuilder sb, String[] row, int[] width, boolean[] right) {
    for (int c = 0; c < row.length; c++) {
      if (c > 0) {
        sb.append(" | ");
      }
      String pad = " ".repeat(width[c] - row[c].length());
      sb.append(right[c] ? pad + row[c] : row[c] + (c == row.length - 1 ? "" : pad));
    }
    sb.append('\n');
  }

  private static String cell(Column col, int r) {
    if (col.isNull(r)) {
      return "null";
    }
    String s;
    if (col.type() == DataType.DOUBLE) {
      double d = col.getDouble(r);
      s = d == Math.rint(d) && Math.abs(d) < 1e15 ? String.format(Locale.ROOT, "%.1f", d) : String.valueOf(d);
    } else {
      s = Values.text(col.get(r));
    }
    s = s.replace("\r", "\\r").replace("\n", "\\n").replace("\t", "\\t");
    return s.length() > MAX_CELL ? s.substring(0, MAX_CELL - 3) + "..." : s;
  }
}
