package dev.mlops.serving.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class InferenceWriterTest {
  private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

  private static InferenceRecord rec(String id, Frame scored, List<Field> outputs, String version) {
    return new InferenceRecord(id, "c-" + id, T, 200, 1, "{}", "{}", List.of(), "m-" + version, "127.0.0.1", "m",
        version, scored, outputs);
  }

  @Test
  void interleaved_versions_with_different_columns_become_one_row_per_prediction_each_with_its_own_request() {
    List<Field> outA = List.of(Field.of("prediction", DataType.DOUBLE));
    List<Field> outB = List.of(Field.of("prediction", DataType.DOUBLE), Field.of("probability_1", DataType.DOUBLE));
    Frame a1 = Frame.of(Column.ofDoubles("x", 1.0), Column.ofDoubles("prediction", 10.0));
    Frame a2 = Frame.of(Column.ofDoubles("x", 2.0, 3.0), Column.ofDoubles("prediction", 20.0, 30.0));
    Frame b1 = Frame.of(Column.ofDoubles("x", 4.0), Column.ofDoubles("y", 5.0), Column.ofDoubles("prediction", 1.0),
        Column.ofDoubles("probability_1", 0.75));
    Frame p = InferenceWriter.predictions(List.of(rec("r1", a1, outA, "1"), rec("r2", b1, outB, "2"),
        rec("r3", a2, outA, "1"), rec("r4", null, List.of(), "1")));

    assertThat(p.rowCount()).isEqualTo(4);
    // grouped by shape: version 1's three rows, then version 2's row; each row keeps its request
    assertThat(p.column("request_id").toList()).containsExactly("r1", "r3", "r3", "r2");
    assertThat(p.column("client_request_id").toList()).containsExactly("c-r1", "c-r3", "c-r3", "c-r2");
    assertThat(p.column("row_index").toList()).containsExactly(0, 0, 1, 0);
    assertThat(p.column("model_version").toList()).containsExactly("1", "1", "1", "2");
    assertThat(p.column("x").toList()).containsExactly(1.0, 2.0, 3.0, 4.0);
    assertThat(p.column("y").toList()).containsExactly(null, null, null, 5.0);
    assertThat(p.column("prediction").toList()).containsExactly(10.0, 20.0, 30.0, 1.0);
    assertThat(p.column("probabilities").toList()).containsExactly(null, null, null, Map.of("1", 0.75));
    assertThat(p.column("label").nullCount()).isEqualTo(4);
    assertThat(p.schema().names()).doesNotContain("probability_1");
  }

  @Test
  void a_batch_without_scored_rows_has_no_prediction_rows() {
    assertThat(InferenceWriter.predictions(List.of(rec("r1", null, List.of(), "1")))).isNull();
  }
}
