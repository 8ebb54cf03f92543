package dev.mlops.serving.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.DataType;
import dev.mlops.core.Frame;
import dev.mlops.serving.ScoringException;
import java.util.List;
import org.junit.jupiter.api.Test;

class RequestColumnsTest {
  static final ObjectMapper JSON = new ObjectMapper();
  static final List<ServedModel.InputField> INPUTS = List.of(
      new ServedModel.InputField("id", DataType.LONG, false, true),
      new ServedModel.InputField("ratio", DataType.FLOAT, true, true),
      new ServedModel.InputField("small", DataType.SHORT, true, true),
      new ServedModel.InputField("name", DataType.STRING, true, true),
      new ServedModel.InputField("override", DataType.DOUBLE, false, false));

  static Frame json(String body) throws Exception {
    return RequestColumns.fromJson(JSON.readTree(body)).toFrame(INPUTS);
  }

  @Test
  void csv_with_quotes_commas_newlines_and_empty_fields_is_typed_by_the_signature() {
    Frame f = RequestColumns.fromCsv("name,id,ratio,small,extra\r\n\"a, \"\"quoted\"\"\nline\",7,0.5,3,x\r\n,8,,-2,y\n")
        .toFrame(INPUTS);
    assertThat(f.schema().names()).containsExactly("id", "ratio", "small", "name");
    assertThat(f.column("name").toList()).containsExactly("a, \"quoted\"\nline", null);
    assertThat(f.column("id").toList()).containsExactly(7L, 8L);
    assertThat(f.column("ratio").toList()).containsExactly(0.5f, null);
    assertThat(f.column("small").toList()).containsExactly((short) 3, (short) -2);
    assertThatThrownBy(() -> RequestColumns.fromCsv("id\n\"7\n")).isInstanceOf(ScoringException.class)
        .hasMessageContaining("not closed");
  }

  @Test
  void only_lossless_conversions_are_made() throws Exception {
    assertThat(json("{\"inputs\": {\"id\": [1], \"ratio\": [0.25], \"small\": [7], \"name\": [\"n\"]}}")
        .column("ratio").getFloat(0)).isEqualTo(0.25f);
    // 0.1 is not a float exactly: refused rather than rounded; 40000 does not fit a short; 1.0 is not a long
    assertThatThrownBy(() -> json("{\"inputs\": {\"id\": [1], \"ratio\": [0.1], \"small\": [7], \"name\": [\"n\"]}}"))
        .hasMessageContaining("column 'ratio' is float");
    assertThatThrownBy(() -> json("{\"inputs\": {\"id\": [1], \"ratio\": [1], \"small\": [40000], \"name\": [\"n\"]}}"))
        .hasMessageContaining("column 'small' is short");
    assertThatThrownBy(() -> json("{\"inputs\": {\"id\": [1.0], \"ratio\": [1], \"small\": [1], \"name\": [\"n\"]}}"))
        .hasMessageContaining("column 'id' is long");
    assertThatThrownBy(() -> json("{\"inputs\": {\"id\": [1], \"ratio\": [1], \"small\": [1], \"name\": [5]}}"))
        .hasMessageContaining("column 'name' is string");
  }

  @Test
  void every_problem_is_named_at_once_and_optional_columns_are_all_or_nothing() throws Exception {
    assertThatThrownBy(() -> json("{\"dataframe_records\": [{\"id\": null, \"ratio\": \"x\"}]}"))
        .isInstanceOf(ScoringException.class)
        .hasMessageContaining("column 'id' has a null at row 0")
        .hasMessageContaining("column 'ratio' is float")
        .hasMessageContaining("missing column 'small'")
        .hasMessageContaining("missing column 'name'");
    Frame allNull = json("{\"dataframe_records\": [{\"id\": 1, \"ratio\": 1, \"small\": 1, \"name\": \"a\", \"override\": null}]}");
    assertThat(allNull.hasColumn("override")).isFalse();
    assertThatThrownBy(() -> json("{\"dataframe_records\": [{\"id\": 1, \"ratio\": 1, \"small\": 1, \"name\": \"a\","
        + " \"override\": 2}, {\"id\": 2, \"ratio\": 1, \"small\": 1, \"name\": \"b\"}]}"))
        .hasMessageContaining("column 'override' is given for 1 of 2 rows");
    assertThatThrownBy(() -> json("{\"dataframe_records\": []}")).hasMessageContaining("no rows");
  }
}
