package dev.mlops.serving.internal;

import dev.mlops.serving.ScoringException;
import java.util.ArrayList;
import java.util.List;

/** A small RFC 4180 reader: comma separated, double-quoted fields with "" escapes, LF or CRLF lines. */
final class Csv {
  private Csv() {}

  static List<List<String>> parse(String text) {
    List<List<String>> out = new ArrayList<>();
    List<String> row = new ArrayList<>();
    StringBuilder field = new StringBuilder();
    boolean quoted = false;
    boolean wasQuoted = false;
    int line = 1;
    int n = text.length();
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (quoted) {
        if (c == '"') {
          if (i + 1 < n && text.charAt(i + 1) == '"') {
            field.append('"');
            i++;
          } else {
            quoted = false;
          }
        } else {
          if (c == '\n') {
            line++;
          }
          field.append(c);
        }
      } else if (c == '"') {
        if (field.length() > 0) {
          throw ScoringException.badRequest("CSV line " + line + ": a quote inside an unquoted field; quote the whole"
              + " field and double inner quotes (\"a \"\"b\"\"\").");
        }
        quoted = true;
        wasQuoted = true;
      } else if (c == ',') {
        row.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
      } else if (c == '\n' || c == '\r') {
        if (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n') {
          i++;
        }
        row.add(field.toString());
        field.setLength(0);
        wasQuoted = false;
        if (!(row.size() == 1 && row.get(0).isEmpty())) {
          out.add(row);
        }
        row = new ArrayList<>();
        line++;
      } else {
        if (wasQuoted) {
          throw ScoringException.badRequest("CSV line " + line + ": text after a closing quote.");
        }
        field.append(c);
      }
    }
    if (quoted) {
      throw ScoringException.badRequest("CSV line " + line + ": a quoted field is not closed (truncated body?).");
    }
    if (field.length() > 0 || !row.isEmpty() || wasQuoted) {
      row.add(field.toString());
      out.add(row);
    }
    return out;
  }
}
