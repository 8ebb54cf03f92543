package dev.mlops.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Definitions: saved, listed, updated; every kind of bad input refused with a typed error and nothing saved. */
class MonitorsTest {
  @TempDir Path dir;
  Workspace ws;
  Monitors monitors;

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
    Frame f = MonitorRefreshTest.log(0, 1, 10, 0, true);
    ws.tables().create("main.ml.log").create(f);
    ws.tables().create("main.ml.train").create(f);
    ws.tables().create("main.ml.other").create(f.drop("x"));
    ws.tables().create("main.ml.empty").schema(f.schema()).create();
    monitors = Monitors.of(ws);
  }

  @AfterEach
  void close() {
    ws.close();
  }

  void refused(Supplier<Monitor> create, String column, String... phrases) {
    assertThatThrownBy(create::get).isInstanceOf(InvalidMonitorException.class)
        .satisfies(e -> {
          InvalidMonitorException x = (InvalidMonitorException) e;
          assertThat(x.column()).isEqualTo(java.util.Optional.ofNullable(column));
          for (String p : phrases) {
            assertThat(x.getMessage()).contains(p);
          }
        });
    assertThat(monitors.list()).isEmpty();
    assertThat(Files.exists(dir.resolve("monitors/main.ml.log/monitor.json"))).isFalse();
    assertThat(ws.tables().exists("main.ml.log_profile_metrics")).isFalse();
  }

  InferenceLog log() {
    return InferenceLog.classification("ts", "prediction", "model_version").label("label");
  }

  @Test
  void a_definition_is_saved_listed_and_updated_with_a_new_monitor_version() {
    Monitor m = monitors.create("main.ml.log").inferenceLog(log()).baseline("main.ml.train").slicingExprs("country")
        .create();
    assertThat(monitors.list()).containsExactly("main.ml.log");
    assertThat(monitors.get("main.ml.log").definition()).isEqualTo(m.definition());
    assertThat(m.definition().monitorVersion()).isEqualTo(1);
    Monitor u = monitors.update("main.ml.log").excludeColumns("id").update();
    assertThat(u.definition().monitorVersion()).isEqualTo(2);
    assertThat(monitors.get("main.ml.log").definition().excludeColumns()).containsExactly("id");
    assertThatThrownBy(() -> monitors.create("main.ml.log").snapshot().create()).isInstanceOf(MonitorException.class)
        .hasMessageContaining("already has a monitor");
    assertThat(monitors.delete("main.ml.log")).isTrue();
    assertThatThrownBy(() -> monitors.get("main.ml.log")).isInstanceOf(MonitorNotFoundException.class);
  }

  @Test
  void unknown_timestamp_prediction_label_and_model_columns_are_refused() {
    refused(() -> monitors.create("main.ml.log").timeSeries("when", "1 day").create(), "when", "main.ml.log", "'when'");
    refused(() -> monitors.create("main.ml.log")
        .inferenceLog(InferenceLog.classification("ts", "pred", "model_version")).create(), "pred", "prediction");
    refused(() -> monitors.create("main.ml.log").inferenceLog(log().label("truth")).create(), "truth", "label");
    refused(() -> monitors.create("main.ml.log")
        .inferenceLog(InferenceLog.classification("ts", "prediction", "model")).create(), "model", "model id");
  }

  @Test
  void wrong_typed_columns_are_refused() {
    refused(() -> monitors.create("main.ml.log").timeSeries("x", "1 day").create(), "x", "DOUBLE", "TIMESTAMP");
    refused(() -> monitors.create("main.ml.log")
        .inferenceLog(InferenceLog.regression("ts", "country", "model_version")).create(), "country", "numeric");
    refused(() -> monitors.create("main.ml.log")
        .inferenceLog(InferenceLog.classification("ts", "x", "model_version")).create(), "x", "class labels");
    refused(() -> monitors.create("main.ml.log").inferenceLog(log().label("country")).create(), "country", "same kind");
    refused(() -> monitors.create("main.ml.log").inferenceLog(
        InferenceLog.classification("ts", "prediction", "x")).create(), "x", "model id");
  }

  @Test
  void granularity_not_in_the_list_is_refused() {
    refused(() -> monitors.create("main.ml.log").timeSeries("ts", "2 days").create(), "ts", "2 days", "1 day");
  }

  @Test
  void slicing_expression_that_does_not_parse_is_refused() {
    refused(() -> monitors.create("main.ml.log").slicingExprs("x >").create(), null, "x >", "does not parse");
    refused(() -> monitors.create("main.ml.log").slicingExprs("x > 1 AND (country = 'NO'").create(), null, "')'");
    refused(() -> monitors.create("main.ml.log").slicingExprs("nope > 1").create(), "nope", "slicing");
    refused(() -> monitors.create("main.ml.log").slicingExprs("missing_col").create(), "missing_col", "slicing");
  }

  @Test
  void baseline_with_other_columns_or_empty_is_refused() {
    refused(() -> monitors.create("main.ml.log").baseline("main.ml.other").create(), "x", "main.ml.other", "missing");
    refused(() -> monitors.create("main.ml.log").baseline("main.ml.empty").create(), null, "empty");
    refused(() -> monitors.create("main.ml.log").baseline("main.ml.nope").create(), null, "main.ml.nope",
        "not a Delta table");
  }

  @Test
  void probabilities_on_a_regression_monitor_are_refused() {
    refused(() -> monitors.create("main.ml.log").inferenceLog(InferenceLog.regression("ts", "x", "model_version")
        .probabilities(Map.of("1", "x"))).create(), "x", "regression", "classification");
  }

  @Test
  void a_table_that_is_not_delta_is_refused() throws Exception {
    Files.createDirectories(dir.resolve("tables/main/ml/plain"));
    Files.writeString(dir.resolve("tables/main/ml/plain/data.csv"), "a,b\n1,2\n");
    assertThatThrownBy(() -> monitors.create("main.ml.plain").snapshot().create())
        .isInstanceOf(InvalidMonitorException.class).hasMessageContaining("main.ml.plain")
        .hasMessageContaining("not a Delta table");
    assertThat(monitors.list()).isEmpty();
  }

  @Test
  void thresholds_of_the_wrong_kind_and_unknown_custom_metric_inputs_are_refused() {
    refused(() -> monitors.create("main.ml.log")
        .threshold("country", DriftThreshold.of(DriftThreshold.Metric.PSI, 0.2)).create(), "country", "PSI");
    refused(() -> monitors.create("main.ml.log")
        .customMetric(CustomMetric.aggregate("m", List.of("nope"), "")).create(), "nope", "custom metric");
  }

  @Test
  void more_than_100_slice_values_is_truncation_not_an_error() {
    Frame f = MonitorRefreshTest.log(0, 1, 250, 0, true);
    ws.tables().create("main.ml.wide").create(f);
    Monitor m = monitors.create("main.ml.wide").slicingExprs("id").includeColumns("x").create();
    m.refresh();
    Frame prof = ws.tables().get("main.ml.wide_profile_metrics").read().load();
    long slices = prof.rows().stream().filter(r -> "id".equals(r.get("slice_key")) && ":table".equals(r.get("column_name")))
        .count();
    assertThat(slices).isEqualTo(MonitorDefinition.MAX_SLICE_VALUES);
  }
}
