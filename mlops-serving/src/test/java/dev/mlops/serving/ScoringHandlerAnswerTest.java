package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The answer written without Jackson is byte for byte the one Jackson writes. */
class ScoringHandlerAnswerTest {
  private static void same(Column prediction) throws Exception {
    Frame rows = Frame.of(Column.ofDoubles("x", new double[prediction.size()]), prediction);
    List<Field> outputs = List.of(Field.of("prediction", prediction.type()));
    byte[] plain = ScoringHandler.plainPredictions(prediction);
    byte[] jackson = ScoringHandler.generalPredictions(rows, outputs, false);
    assertThat(new String(plain, StandardCharsets.UTF_8)).isEqualTo(new String(jackson, StandardCharsets.UTF_8));
    assertThat(ScoringHandler.predictions(rows, outputs, false)).isEqualTo(jackson);
  }

  @Test
  void numeric_and_boolean_predictions_are_written_as_jackson_writes_them() throws Exception {
    same(Column.ofInts("prediction", new int[] {0, 1, -7, Integer.MIN_VALUE, Integer.MAX_VALUE, 3},
        new boolean[] {false, false, false, false, false, true}));
    same(Column.ofLongs("prediction", Long.MIN_VALUE, Long.MAX_VALUE, 0, 1L << 40));
    same(Column.ofDoubles("prediction", new double[] {0.0, -0.0, 1e-7, 1e21, 0.1 + 0.2, Double.MIN_VALUE,
        Double.MAX_VALUE, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 123456.789, 5},
        new boolean[] {false, false, false, false, false, false, false, false, false, false, false, true}));
    same(Column.ofBooleans("prediction", new boolean[] {true, false, true}, new boolean[] {false, false, true}));
    same(Column.ofInts("prediction"));
  }

  @Test
  void string_predictions_and_probabilities_still_go_through_jackson() throws Exception {
    Column label = Column.of("prediction", DataType.STRING, Arrays.asList("a \"quoted\"\n\u00e9", null));
    Frame rows = Frame.of(label, Column.ofDoubles("probability_a", 0.25, 0.5));
    List<Field> outputs = List.of(Field.of("prediction", DataType.STRING), Field.of("probability_a", DataType.DOUBLE));
    assertThat(new String(ScoringHandler.predictions(rows, outputs, false), StandardCharsets.UTF_8))
        .isEqualTo("{\"predictions\":[\"a \\\"quoted\\\"\\n\u00e9\",null]}");
    Frame ints = Frame.of(Column.ofInts("prediction", 1), Column.ofDoubles("probability_1", 0.75));
    List<Field> intOutputs = List.of(Field.of("prediction", DataType.INT), Field.of("probability_1", DataType.DOUBLE));
    assertThat(new String(ScoringHandler.predictions(ints, intOutputs, true), StandardCharsets.UTF_8))
        .isEqualTo("{\"predictions\":[{\"prediction\":1,\"probability_1\":0.75}]}");
  }
}
