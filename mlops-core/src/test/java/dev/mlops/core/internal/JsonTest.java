package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.MlopsException;
import dev.mlops.core.StorageException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonTest {

  public record Run(String id, Instant startedAt, Map<String, Double> metrics, List<String> tags) {}

  private static final Run RUN = new Run("r1", Instant.parse("2024-03-01T10:15:30.123456789Z"),
      Map.of("rmse", 0.5, "auc", 0.9), List.of("a", "b"));

  @Test
  void write_then_read_round_trips_a_record_with_an_instant() {
    String text = Json.write(RUN);

    assertThat(Json.read(text, Run.class)).isEqualTo(RUN);
  }

  @Test
  void instants_are_iso_8601_text_and_map_keys_sorted() {
    String text = Json.write(RUN);

    assertThat(text).contains("\"2024-03-01T10:15:30.123456789Z\"");
    assertThat(text.indexOf("auc")).isLessThan(text.indexOf("rmse"));
  }

  @Test
  void read_ignores_unknown_properties() {
    Run r = Json.read("{\"id\":\"r2\",\"future\":1}", Run.class);

    assertThat(r.id()).isEqualTo("r2");
  }

  @Test
  void read_of_malformed_text_names_the_type() {
    assertThatThrownBy(() -> Json.read("{not json", Run.class))
        .isInstanceOf(MlopsException.class)
        .hasMessageContaining("Run");
  }

  @Test
  void writeFile_then_readFile_round_trips(@TempDir Path dir) {
    Path p = dir.resolve("runs/r1.json");

    Json.writeFile(p, RUN);

    assertThat(Json.readFile(p, Run.class)).contains(RUN);
  }

  @Test
  void readFile_of_a_missing_file_is_empty(@TempDir Path dir) {
    assertThat(Json.readFile(dir.resolve("missing.json"), Run.class)).isEmpty();
    assertThat(Json.readFile(dir.resolve("no/dir/missing.json"), Run.class)).isEmpty();
  }

  @Test
  void readFile_of_a_corrupt_file_names_the_path(@TempDir Path dir) throws IOException {
    Path p = dir.resolve("bad.json");
    Files.writeString(p, "{\"id\":");

    assertThatThrownBy(() -> Json.readFile(p, Run.class))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining(p.toString());
  }

  @Test
  void tree_and_object_build_nodes() {
    assertThat(Json.tree("{\"a\":[1,2]}").get("a").size()).isEqualTo(2);
    assertThat(Json.object().put("k", 1).toString()).isEqualTo("{\"k\":1}");
    assertThatThrownBy(() -> Json.tree("[")).isInstanceOf(MlopsException.class);
  }

  public record WithOptional(java.util.Optional<String> note) {}

  @Test
  void optionals_are_written_by_the_sdks_own_modules_not_the_hosts() {
    assertThat(Json.write(new WithOptional(java.util.Optional.of("x")))).contains("\"note\" : \"x\"");
    assertThat(Json.read("{\"note\":null}", WithOptional.class).note()).isEmpty();
  }

  @Test
  void changing_a_writer_handed_out_does_not_change_the_sdk_format() {
    com.fasterxml.jackson.databind.ObjectWriter w = Json.MAPPER.writer();
    w.getFactory().disable(com.fasterxml.jackson.core.JsonGenerator.Feature.QUOTE_FIELD_NAMES);

    assertThat(Json.write(RUN)).contains("\"id\" : \"r1\"");
  }
}
