package dev.mlops.serving.internal;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.serving.ScoringException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The streaming fast path against the tree path it stands in for: on every body it either gives the
 * same columns (same types, values, nulls, bit for bit) or declines, and it declines every body the
 * tree path refuses (so the error is always the tree path's wording).
 */
class JsonColumnsTest {
  private static final List<ServedModel.InputField> NUMERIC = List.of(
      new ServedModel.InputField("a", DataType.DOUBLE, false, true),
      new ServedModel.InputField("b", DataType.DOUBLE, true, true),
      new ServedModel.InputField("n", DataType.LONG, true, true));
  private static final List<ServedModel.InputField> MIXED = List.of(
      new ServedModel.InputField("id", DataType.LONG, false, true),
      new ServedModel.InputField("ratio", DataType.FLOAT, true, true),
      new ServedModel.InputField("small", DataType.SHORT, true, true),
      new ServedModel.InputField("i", DataType.INT, true, true),
      new ServedModel.InputField("tiny", DataType.BYTE, true, true),
      new ServedModel.InputField("name", DataType.STRING, true, true),
      new ServedModel.InputField("flag", DataType.BOOLEAN, true, true),
      new ServedModel.InputField("at", DataType.TIMESTAMP, true, true),
      new ServedModel.InputField("day", DataType.DATE, true, true),
      new ServedModel.InputField("override", DataType.DOUBLE, false, false));

  /** What the tree path answers: the frame, or the error's message. */
  private static Object tree(String body, List<ServedModel.InputField> inputs) {
    try {
      JsonNode t = JsonColumns.MAPPER.readTree(body);
      if (t.isObject() && t.has("client_request_id") && !t.get("client_request_id").isTextual()) {
        return "client_request_id must be a string";
      }
      if (t.isObject() && t.has("params") && !t.get("params").isObject()) {
        return "params must be an object";
      }
      return RequestColumns.fromJson(t).toFrame(inputs);
    } catch (ScoringException e) {
      return e.getMessage();
    } catch (Exception e) {
      return "not JSON: " + e.getMessage();
    }
  }

  /** What the fast path answers: the frame, or null when it declines (at parsing or typing). */
  private static Frame fast(String body, List<ServedModel.InputField> inputs) {
    JsonColumns c = JsonColumns.parse(body.getBytes(StandardCharsets.UTF_8));
    return c == null ? null : c.toFrame(inputs);
  }

  private static List<List<Object>> values(Frame f) {
    List<List<Object>> out = new ArrayList<>();
    for (Column c : f.columns()) {
      out.add(c.toList()); // boxed: Double.equals tells -0.0 from 0.0 and compares NaN bits
    }
    return out;
  }

  /** Same answer as the tree path; returns whether the fast path answered itself. */
  private static boolean agrees(String body, List<ServedModel.InputField> inputs) {
    Object expected = tree(body, inputs);
    Frame got = fast(body, inputs);
    if (expected instanceof Frame) {
      if (got != null) {
        assertThat(got.schema()).as(body).isEqualTo(((Frame) expected).schema());
        assertThat(values(got)).as(body).isEqualTo(values((Frame) expected));
        assertThat(got).as(body).isEqualTo(expected);
      }
    } else {
      assertThat(got).as("the tree path refuses %s (%s), so the fast path must decline", body, expected).isNull();
    }
    return got != null;
  }

  @Test
  void every_input_format_is_typed_into_the_same_primitive_columns_as_the_tree_path() {
    List<String> bodies = List.of(
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[1.5, 2, 3], [-0.25, null, -7]]}}",
        "{\"dataframe_split\": {\"index\": [0], \"columns\": [\"n\", \"a\", \"b\", \"extra\"], \"data\": [[1, 2.0, 3.5, \"x\"]]}}",
        "{\"dataframe_records\": [{\"a\": 1.25, \"b\": 2, \"n\": 3}, {\"n\": 4, \"a\": 9007199254740993}]}",
        "{\"dataframe_records\": [{\"a\": 1}, {\"a\": 2, \"b\": 0.1, \"n\": 5}, {\"a\": 3}]}",
        "{\"instances\": [{\"a\": 1, \"b\": 2, \"n\": 3}]}",
        "{\"inputs\": {\"a\": [1.0, 2.0], \"b\": [3, null], \"n\": [1, 2]}}",
        "{\"inputs\": {\"a\": 1.5, \"b\": 2, \"n\": 3}}",
        "{\"instances\": {\"a\": [1], \"b\": [2], \"n\": [3]}}",
        "{\"client_request_id\": \"c-1\", \"params\": {\"return_probabilities\": true}, \"dataframe_split\":"
            + " {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[0.1, 0.2, 9223372036854775807]]}, \"other\": [1, {\"x\": 2}]}");
    for (String b : bodies) {
      assertThat(agrees(b, NUMERIC)).as("the fast path answers %s itself", b).isTrue();
    }
  }

  @Test
  void numbers_convert_bit_for_bit_as_the_tree_paths_big_decimals_do() {
    // zeros (the tree path's BigDecimal has no -0.0), exponents, integers widened to double, long extremes,
    // integers beyond a long, decimals that round, and a double beyond the largest finite one
    for (String v : List.of("0.0", "-0.0", "-0", "0", "1e3", "-1.5E-3", "1E400", "-1e-400", "0e0", "123456789012345678",
        "18446744073709551617", "0.30000000000000004", "2.2250738585072011e-308", "4.9e-324", "1" + "0".repeat(400) + ".5",
        "-9223372036854775808", "9223372036854775807", "0.1", "3.4028234663852886e38")) {
      String body = "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[" + v + ", " + v + ", 1]]}}";
      assertThat(agrees(body, NUMERIC)).as(body).isTrue();
    }
    // the fast path parses plain decimals itself: random ones of up to 25 digits, both sides of the point
    java.util.Random rnd = new java.util.Random(42);
    for (int k = 0; k < 2_000; k++) {
      StringBuilder d = new StringBuilder(rnd.nextBoolean() ? "-" : "");
      int whole = rnd.nextInt(13);
      d.append(whole == 0 ? "0" : String.valueOf(1 + rnd.nextInt(9)));
      for (int i = 1; i < whole; i++) {
        d.append(rnd.nextInt(10));
      }
      d.append('.');
      for (int i = 1 + rnd.nextInt(24); i > 0; i--) {
        d.append(rnd.nextInt(10));
      }
      String body = "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[" + d + ", " + d + ", 1]]}}";
      assertThat(agrees(body, NUMERIC)).as(body).isTrue();
    }
    for (String v : List.of("1.5", "1e2", "-0.0", "18446744073709551617", "\"7\"", "true", "[1]")) {
      agrees("{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[1, 2, " + v + "]]}}", NUMERIC);
    }
  }

  @Test
  void integers_widen_and_narrow_only_when_lossless_and_other_types_come_from_the_same_nodes() {
    String row = "{\"id\": %s, \"ratio\": %s, \"small\": %s, \"i\": %s, \"tiny\": %s, \"name\": %s, \"flag\": %s,"
        + " \"at\": %s, \"day\": %s}";
    String ok = String.format(row, "7", "0.25", "-32768", "2147483647", "-128", "\"Zürich\"", "true",
        "\"2026-11-30T10:00:00Z\"", "\"2026-11-30\"");
    String nulls = String.format(row, "8", "null", "null", "null", "null", "null", "null", "null", "null");
    assertThat(agrees("{\"dataframe_records\": [" + ok + ", " + nulls + "]}", MIXED)).isTrue();
    assertThat(agrees("{\"dataframe_records\": [" + String.format(row, "7", "1", "1", "1", "1", "\"x\"", "false",
        "\"2026-11-30 10:00:00\"", "\"2026-11-30\"") + "]}", MIXED)).isTrue();
    // each of these does not fit its column: the tree path's error, so the fast path declines
    List<String> bad = List.of(
        String.format(row, "7.5", "1", "1", "1", "1", "\"x\"", "true", "null", "null"),
        String.format(row, "null", "1", "1", "1", "1", "\"x\"", "true", "null", "null"),
        String.format(row, "7", "0.1", "1", "1", "1", "\"x\"", "true", "null", "null"),
        String.format(row, "7", "16777217", "1", "1", "1", "\"x\"", "true", "null", "null"),
        String.format(row, "7", "1", "32768", "1", "1", "\"x\"", "true", "null", "null"),
        String.format(row, "7", "1", "1", "2147483648", "1", "\"x\"", "true", "null", "null"),
        String.format(row, "7", "1", "1", "1", "128", "\"x\"", "true", "null", "null"),
        String.format(row, "7", "1", "1", "1", "1", "5", "true", "null", "null"),
        String.format(row, "7", "1", "1", "1", "1", "\"x\"", "\"true\"", "null", "null"),
        String.format(row, "7", "1", "1", "1", "1", "\"x\"", "true", "\"yesterday\"", "null"),
        String.format(row, "7", "1", "1", "1", "1", "\"x\"", "true", "null", "17"),
        String.format(row, "7", "1", "1", "1", "1", "{\"x\": 1}", "true", "null", "null"),
        String.format(row, "7", "\"1\"", "1", "1", "1", "\"x\"", "true", "null", "null"));
    for (String r : bad) {
      assertThat(agrees("{\"dataframe_records\": [" + r + "]}", MIXED)).isFalse();
    }
  }

  @Test
  void optional_columns_are_all_or_nothing_as_in_the_tree_path() {
    String base = "\"id\": 1, \"ratio\": 1, \"small\": 1, \"i\": 1, \"tiny\": 1, \"name\": \"a\", \"flag\": true,"
        + " \"at\": null, \"day\": null";
    Frame absent = fast("{\"dataframe_records\": [{" + base + ", \"override\": null}]}", MIXED);
    assertThat(absent).isNotNull();
    assertThat(absent.hasColumn("override")).isFalse();
    assertThat(agrees("{\"dataframe_records\": [{" + base + ", \"override\": 2.5}, {" + base + ", \"override\": 3}]}",
        MIXED)).isTrue();
    assertThat(agrees("{\"dataframe_records\": [{" + base + ", \"override\": 2.5}, {" + base + "}]}", MIXED)).isFalse();
  }

  @Test
  void everything_the_tree_path_refuses_is_declined() {
    List<String> refused = List.of(
        "", "  ", "[]", "[1]", "42", "\"x\"", "null", "{}", "{\"params\": {}}",
        "{\"dataframe_records\": [{\"a\": 1}], \"inputs\": {\"a\": [1]}}",
        "{\"dataframe_records\": [{\"a\": 1, \"a\": 2}]}",
        "{\"dataframe_records\": [{\"a\": 1}]} {}",
        "{\"dataframe_records\": [{\"a\": 1}]} x",
        "{\"dataframe_records\": [{\"a\": 1}]",
        "{\"dataframe_records\": [{\"a\": 1, \"b\": 2, \"n\": 3}], \"x\": 1, \"x\": 2}",
        "{\"dataframe_records\": {\"a\": 1}}",
        "{\"dataframe_records\": [1, 2]}",
        "{\"dataframe_records\": []}",
        "{\"instances\": 5}",
        "{\"inputs\": {\"a\": [1, 2], \"b\": [1], \"n\": [1, 2]}}",
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"]}}",
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[1, 2]]}}",
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[1, 2, 3, 4]]}}",
        "{\"dataframe_split\": {\"columns\": [\"a\", \"a\", \"n\"], \"data\": [[1, 2, 3]]}}",
        "{\"dataframe_split\": {\"columns\": [\"a\", 2, \"n\"], \"data\": [[1, 2, 3]]}}",
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [5]}}",
        "{\"dataframe_split\": [[1, 2, 3]]}",
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\"], \"data\": [[1, 2]]}}",
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[null, 2, 3]]}}",
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[NaN, 2, 3]]}}",
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[01, 2, 3]]}}",
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[1, 2, 3]]}, \"client_request_id\": 7}",
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[1, 2, 3]]}, \"params\": [1]}",
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[1, 2, 3]]}, \"x\": 1e99999999999}",
        "{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[\"1\\q\", 2, 3]]}}");
    for (String b : refused) {
      assertThat(tree(b, NUMERIC)).as(b).isNotInstanceOf(Frame.class);
      assertThat(fast(b, NUMERIC)).as(b).isNull();
    }
  }

  @Test
  void bytes_the_tree_path_would_decode_differently_are_declined() {
    String body = "{\"dataframe_records\": [{\"a\": 1, \"b\": 2, \"n\": 3}]}";
    byte[] ok = body.getBytes(StandardCharsets.UTF_8);
    assertThat(JsonColumns.parse(ok)).isNotNull();
    byte[] bom = new byte[ok.length + 3];
    bom[0] = (byte) 0xEF;
    bom[1] = (byte) 0xBB;
    bom[2] = (byte) 0xBF;
    System.arraycopy(ok, 0, bom, 3, ok.length);
    assertThat(JsonColumns.parse(bom)).isNull();
    byte[] badUtf8 = body.replace("\"b\"", "\"\u00e9\"").getBytes(StandardCharsets.UTF_8);
    assertThat(JsonColumns.parse(badUtf8)).isNotNull(); // valid non-ASCII is read
    badUtf8[badUtf8.length - 8] = (byte) 0xC3; // a lead byte with no continuation
    assertThat(JsonColumns.parse(badUtf8)).isNull();
    byte[] overlong = body.replace("\"b\"", "\"b\u00e9\"").getBytes(StandardCharsets.UTF_8);
    int at = body.indexOf("\"b\"") + 2;
    overlong[at] = (byte) 0xC0; // an overlong encoding, which a lax decoder would accept
    overlong[at + 1] = (byte) 0x80;
    assertThat(JsonColumns.parse(overlong)).isNull();
    byte[] nul = body.replace("\"a\": 1", "\"a\":\u00001").getBytes(StandardCharsets.UTF_8);
    assertThat(JsonColumns.parse(nul)).isNull();
  }

  @Test
  void client_request_id_and_params_are_read_as_the_tree_path_reads_them() {
    String cols = "\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [[1, 2, 3]]}";
    JsonColumns c = JsonColumns.parse(("{\"client_request_id\": \"abc\", \"params\": {\"return_probabilities\": true}, "
        + cols + "}").getBytes(StandardCharsets.UTF_8));
    assertThat(c.clientRequestId()).isEqualTo("abc");
    assertThat(c.returnProbabilities()).isTrue();
    assertThat(c.rows()).isEqualTo(1);
    JsonColumns none = JsonColumns.parse(("{" + cols + "}").getBytes(StandardCharsets.UTF_8));
    assertThat(none.clientRequestId()).isNull();
    assertThat(none.returnProbabilities()).isFalse();
    // asBoolean(false) as the tree path: "true" text counts, 1 counts, other text does not
    for (String v : List.of("\"true\"", "1", "\"yes\"", "false", "null", "{}")) {
      JsonNode params = JsonColumns.MAPPER.createObjectNode().set("return_probabilities",
          readTree(v));
      JsonColumns p = JsonColumns.parse(("{\"params\": " + params + ", " + cols + "}").getBytes(StandardCharsets.UTF_8));
      assertThat(p.returnProbabilities()).as(v).isEqualTo(params.path("return_probabilities").asBoolean(false));
    }
  }

  private static JsonNode readTree(String v) {
    try {
      return JsonColumns.MAPPER.readTree(v);
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void a_hundred_row_split_body_grows_its_columns() {
    StringBuilder sb = new StringBuilder("{\"dataframe_split\": {\"columns\": [\"a\", \"b\", \"n\"], \"data\": [");
    for (int i = 0; i < 100; i++) {
      sb.append(i == 0 ? "" : ", ").append("[").append(i).append(".5, ").append(i % 3 == 0 ? "null" : i + ".25")
          .append(", ").append(i).append("]");
    }
    String body = sb.append("]}}").toString();
    assertThat(agrees(body, NUMERIC)).isTrue();
    assertThat(fast(body, NUMERIC).column("b").nullCount()).isEqualTo(34);
  }
}
