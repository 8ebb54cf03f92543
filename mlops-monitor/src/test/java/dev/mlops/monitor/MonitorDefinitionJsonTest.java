package dev.mlops.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.monitor.internal.DefinitionJson;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The saved format: golden files from each format version must keep loading. */
class MonitorDefinitionJsonTest {

  static MonitorDefinition sample() {
    InferenceLog log = InferenceLog.classification("ts", "prediction", "model_version").label("label")
        .probabilities(Map.of("1", "proba_1")).granularities("1 hour", "1 day");
    return new MonitorDefinition("main.ml.log", log, Optional.of("main.ml.train"), List.of("country", "amount > 100"),
        List.of(), List.of("id"), Map.of("amount", DriftThreshold.of(DriftThreshold.Metric.PSI, 0.25)),
        List.of(CustomMetric.aggregate("share_negative", List.of("amount"), "share of amount < 0")), 10, 3);
  }

  static String golden(String name) throws IOException {
    try (InputStream in = MonitorDefinitionJsonTest.class.getResourceAsStream("/golden/" + name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void writes_the_format_version_1_golden_file_byte_for_byte() throws IOException {
    assertThat(DefinitionJson.write(sample())).isEqualTo(golden("monitor-definition-v1.json"));
  }

  @Test
  void reads_the_format_version_1_golden_file() throws IOException {
    assertThat(DefinitionJson.read(golden("monitor-definition-v1.json"), "golden")).isEqualTo(sample());
  }

  @Test
  void every_profile_type_round_trips() {
    for (ProfileType t : List.of(ProfileType.snapshot(), ProfileType.timeSeries("ts", "5 minutes", "2 weeks", "1 year"),
        InferenceLog.regression("ts", "y_hat", "model").label("y"))) {
      MonitorDefinition d = new MonitorDefinition("main.a.b", t, Optional.empty(), List.of(), List.of("x"), List.of(),
          Map.of(), List.of(), 7, 1);
      assertThat(DefinitionJson.read(DefinitionJson.write(d), "test")).isEqualTo(d);
    }
  }

  @Test
  void a_newer_format_version_is_refused_with_advice() {
    String text = DefinitionJson.write(sample()).replace("\"format_version\" : 1", "\"format_version\" : 99");
    assertThatThrownBy(() -> DefinitionJson.read(text, "monitor.json")).isInstanceOf(MonitorException.class)
        .hasMessageContaining("format version 99").hasMessageContaining("Upgrade");
  }
}
