package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The saved form of a feature spec: every default of every type survives JSON (text, and the
 * map form model descriptors store), the format version, the golden file of format 1, the legacy
 * unversioned form, and a spec with a DATE default that scores after its round trip.
 */
class FeatureSpecTest {
  @TempDir Path dir;

  static FeatureSpec.Lookup lookup(DataType type, Object dflt) {
    return new FeatureSpec.Lookup("main.s.t", 3, List.of("id"), List.of("id"), Optional.of("as_of"),
        Optional.of("event_time"), List.of("f"), Map.of("f", type), Map.of(), Map.of("f", dflt),
        Optional.of(Duration.ofDays(30)), Optional.empty());
  }

  static FeatureSpec spec(FeatureSpec.Lookup l) {
    return new FeatureSpec(List.of(l), List.of(), Optional.of("y"), List.of());
  }

  /** Defaults per type, including the values JSON cannot hold as plain numbers. */
  static List<Object[]> defaults() {
    return List.of(
        new Object[] {DataType.LONG, Long.MAX_VALUE},
        new Object[] {DataType.LONG, Long.MIN_VALUE},
        new Object[] {DataType.LONG, (1L << 53) + 1},
        new Object[] {DataType.LONG, -((1L << 60) + 7)},
        new Object[] {DataType.INT, Integer.MIN_VALUE},
        new Object[] {DataType.INT, Integer.MAX_VALUE},
        new Object[] {DataType.DOUBLE, Double.NaN},
        new Object[] {DataType.DOUBLE, Double.POSITIVE_INFINITY},
        new Object[] {DataType.DOUBLE, Double.NEGATIVE_INFINITY},
        new Object[] {DataType.DOUBLE, -0.0},
        new Object[] {DataType.DOUBLE, 0.1},
        new Object[] {DataType.DOUBLE, Double.MIN_VALUE},
        new Object[] {DataType.DOUBLE, Double.MAX_VALUE},
        new Object[] {DataType.DOUBLE, 1e300 / 3},
        new Object[] {DataType.DOUBLE, 5.0},
        new Object[] {DataType.BOOLEAN, true},
        new Object[] {DataType.BOOLEAN, false},
        new Object[] {DataType.STRING, ""},
        new Object[] {DataType.STRING, "NaN"},
        new Object[] {DataType.STRING, "2020-02-29"},
        new Object[] {DataType.STRING, "quote \" backslash \\ tab \t newline \n unicode é 😀"},
        new Object[] {DataType.DATE, LocalDate.of(2020, 2, 29)},
        new Object[] {DataType.DATE, LocalDate.of(1, 1, 1)},
        new Object[] {DataType.DATE, LocalDate.of(9999, 12, 31)},
        new Object[] {DataType.DATE, LocalDate.of(1582, 10, 4)},
        new Object[] {DataType.DATE, LocalDate.of(-44, 3, 15)},
        new Object[] {DataType.DATE, LocalDate.of(12345, 6, 7)},
        new Object[] {DataType.TIMESTAMP, Instant.parse("2020-02-29T12:34:56.123456Z")},
        new Object[] {DataType.TIMESTAMP, Instant.parse("0001-01-01T00:00:00Z")},
        new Object[] {DataType.TIMESTAMP, Instant.parse("9999-12-31T23:59:59.999999Z")},
        new Object[] {DataType.TIMESTAMP, Instant.parse("1969-12-31T23:59:59.999999Z")},
        new Object[] {DataType.TIMESTAMP, Instant.EPOCH.plus(Long.MAX_VALUE, java.time.temporal.ChronoUnit.MICROS)});
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("defaults")
  void every_default_round_trips_exactly_through_text_and_map(DataType type, Object value) {
    FeatureSpec s = spec(lookup(type, value));
    assertThat(s.lookups().get(0).defaults().get("f")).isEqualTo(value);

    FeatureSpec fromText = FeatureSpec.fromJson(s.toJson());
    assertThat(fromText).isEqualTo(s);
    assertThat(fromText.lookups().get(0).defaults().get("f")).isInstanceOf(value.getClass()).isEqualTo(value);

    // model descriptors keep the spec as a JSON-like map, saved as text and read back as a map
    @SuppressWarnings("unchecked")
    Map<String, Object> map = Json.MAPPER.convertValue(s, Map.class);
    @SuppressWarnings("unchecked")
    Map<String, Object> reread = Json.read(Json.write(map), Map.class);
    FeatureSpec fromMap = Json.MAPPER.convertValue(reread, FeatureSpec.class);
    assertThat(fromMap).isEqualTo(s);
    assertThat(fromMap.lookups().get(0).defaults().get("f")).isEqualTo(value);
    if (value instanceof Double d) { // bit-exact, -0.0 and NaN included
      assertThat(Double.doubleToRawLongBits((Double) fromMap.lookups().get(0).defaults().get("f")))
          .isEqualTo(Double.doubleToRawLongBits(d));
    }
  }

  @Test
  void defaults_take_the_canonical_value_of_their_type_or_are_refused_naming_the_feature() {
    assertThat(lookup(DataType.DOUBLE, 0).defaults().get("f")).isEqualTo(0.0);
    assertThat(lookup(DataType.LONG, 7).defaults().get("f")).isEqualTo(7L);
    assertThat(lookup(DataType.TIMESTAMP, java.time.OffsetDateTime.parse("2020-01-01T01:00:00+01:00"))
        .defaults().get("f")).isEqualTo(Instant.parse("2020-01-01T00:00:00Z"));
    assertThatThrownBy(() -> lookup(DataType.DATE, "2020-02-29"))
        .isInstanceOf(FeatureStoreException.class).hasMessageContaining("'f'").hasMessageContaining("main.s.t")
        .hasMessageContaining("DATE").hasMessageContaining("LocalDate");
    assertThatThrownBy(() -> lookup(DataType.INT, Long.MAX_VALUE))
        .isInstanceOf(FeatureStoreException.class).hasMessageContaining("INT");
  }

  @Test
  void saved_json_carries_the_format_version_and_omits_what_is_absent() {
    FeatureSpec.Lookup plain = new FeatureSpec.Lookup("main.s.u", 0, List.of("id"), List.of("id"), Optional.empty(),
        Optional.empty(), List.of("x"), Map.of("x", DataType.LONG), Map.of(), Map.of(), Optional.empty(),
        Optional.empty());
    FeatureSpec s = new FeatureSpec(List.of(plain), List.of(), Optional.empty(), List.of());
    var tree = Json.tree(s.toJson());
    assertThat(tree.get("formatVersion").asInt()).isEqualTo(FeatureSpec.FORMAT_VERSION);
    assertThat(tree.has("label")).isFalse();
    assertThat(tree.get("lookups").get(0).has("timestampKey")).isFalse();
    assertThat(tree.get("lookups").get(0).has("lookback")).isFalse();
    assertThat(FeatureSpec.fromJson(s.toJson())).isEqualTo(s);
  }

  @Test
  void a_newer_format_is_refused_with_a_message_to_upgrade() {
    String json = spec(lookup(DataType.LONG, 1L)).toJson().replace("\"formatVersion\" : 1", "\"formatVersion\" : 99");
    assertThatThrownBy(() -> FeatureSpec.fromJson(json)).isInstanceOf(FeatureStoreException.class)
        .hasMessageContaining("99").hasMessageContaining("Upgrade");
  }

  static String resource(String name) throws IOException {
    try (InputStream in = FeatureSpecTest.class.getResourceAsStream("/golden/" + name)) {
      assertThat(in).as("golden file " + name).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** The spec that golden/feature-spec-v1.json holds (written by this release with toJson). */
  static FeatureSpec goldenV1() {
    FeatureSpec.Lookup a = new FeatureSpec.Lookup("main.crm.customer_features", 12, List.of("customer_id"),
        List.of("cust"), Optional.of("as_of"), Optional.of("event_time"),
        List.of("spend", "visits", "first_seen", "last_order", "plan", "vip", "big"),
        Map.of("spend", DataType.DOUBLE, "visits", DataType.INT, "first_seen", DataType.DATE,
            "last_order", DataType.TIMESTAMP, "plan", DataType.STRING, "vip", DataType.BOOLEAN, "big", DataType.LONG),
        Map.of("spend", "spend_30d"),
        Map.of("spend", Double.NaN, "visits", -1, "first_seen", LocalDate.of(2020, 2, 29),
            "last_order", Instant.parse("1969-12-31T23:59:59.999999Z"), "plan", "none", "vip", false,
            "big", (1L << 53) + 1),
        Optional.of(Duration.ofDays(30).plusNanos(1000)), Optional.of("spend_asof"));
    FeatureSpec.Lookup b = new FeatureSpec.Lookup("main.geo.shops", 4, List.of("shop", "region"),
        List.of("shop", "region"), Optional.empty(), Optional.empty(), List.of("rank"),
        Map.of("rank", DataType.DOUBLE), Map.of(), Map.of("rank", Double.NEGATIVE_INFINITY), Optional.empty(),
        Optional.empty());
    return new FeatureSpec(List.of(a, b), List.of(new FeatureSpec.Function("spend_per_visit", DataType.DOUBLE,
        List.of("spend_30d", "visits"))), Optional.of("churned"), List.of("event_time"));
  }

  @Test
  void golden_format_1_file_loads_as_written() throws IOException {
    String golden = resource("feature-spec-v1.json");
    assertThat(FeatureSpec.fromJson(golden)).isEqualTo(goldenV1());
    // this release still writes exactly that text (a change of format must bump formatVersion)
    assertThat(goldenV1().toJson().strip()).isEqualTo(golden.strip());
  }

  @Test
  void legacy_unversioned_spec_loads_with_empty_strings_as_none_and_unambiguous_lookbacks() throws IOException {
    FeatureSpec s = FeatureSpec.fromJson(resource("feature-spec-legacy.json"));
    FeatureSpec.Lookup l = s.lookups().get(0);
    assertThat(s.label()).isEmpty();
    assertThat(l.timestampKey()).contains("as_of");
    assertThat(l.lookback()).contains(Duration.ofDays(30));
    assertThat(l.defaults()).containsEntry("last_order", Instant.parse("2020-01-01T00:00:00Z"))
        .containsEntry("spend", Double.NaN).containsEntry("first_seen", LocalDate.of(2020, 2, 29));
    assertThat(s.lookups().get(1).timestampKey()).isEmpty();
    assertThat(s.lookups().get(1).lookback()).isEmpty();
    // days-or-micros: a legacy window under one day in micros could be either unit
    String ambiguous = resource("feature-spec-legacy.json").replace("2592000000000", "30");
    assertThatThrownBy(() -> FeatureSpec.fromJson(ambiguous)).isInstanceOf(FeatureStoreException.class)
        .hasMessageContaining("lookbackMicros=30").hasMessageContaining("Rebuild the training set");
  }

  @Test
  void date_and_nan_defaults_apply_after_the_round_trip_when_scoring() {
    try (Workspace ws = Workspace.open(dir)) {
      FeatureStore fs = FeatureStore.of(ws);
      Schema schema = Schema.of(Field.of("id", DataType.LONG), Field.of("dt", DataType.DATE),
          Field.of("x", DataType.DOUBLE), Field.of("seen", DataType.DATE), Field.of("at", DataType.TIMESTAMP));
      fs.createTable("main.s.dated").primaryKeys("id").timestampKey("dt").create(Frame.builder(schema)
          .row(1L, LocalDate.of(2026, 1, 1), 2.5, LocalDate.of(2025, 5, 5), Instant.parse("2025-05-05T00:00:00Z"))
          .build());
      Frame spine = Frame.builder(Schema.of(Field.of("id", DataType.LONG), Field.of("day", DataType.DATE)))
          .row(1L, LocalDate.of(2026, 1, 10)).row(1L, LocalDate.of(2025, 12, 1)).row(2L, LocalDate.of(2026, 1, 10))
          .row(1L, null).build();
      TrainingSet ts = fs.trainingSet(spine).lookup(FeatureLookup.table("main.s.dated").lookupKey("id")
          .timestampLookupKey("day").lookback(Duration.ofDays(30)).defaultValue("x", Double.NaN)
          .defaultValue("seen", LocalDate.of(2020, 2, 29)).defaultValue("at", Instant.parse("2000-01-01T00:00:00Z"))
          .includeTimestamp("x_asof")).build();
      FeatureSpec again = FeatureSpec.fromJson(ts.spec().toJson());
      assertThat(again).isEqualTo(ts.spec());
      Frame scored = fs.lookupFeatures(again, spine);
      assertThat(scored.column("x").get(0)).isEqualTo(2.5);
      assertThat(scored.column("x").get(1)).isEqualTo(Double.NaN); // before the first row
      assertThat(scored.column("seen").get(2)).isEqualTo(LocalDate.of(2020, 2, 29)); // unknown key
      assertThat(scored.column("at").get(2)).isEqualTo(Instant.parse("2000-01-01T00:00:00Z"));
      assertThat(scored.column("x_asof").get(0)).isEqualTo(LocalDate.of(2026, 1, 1));
      assertThat(scored.column("x_asof").isNull(1)).isTrue();
      // null spine time: no row matches, so the defaults apply (plain null without a default)
      assertThat(scored.column("x").get(3)).isEqualTo(Double.NaN);
      assertThat(scored.column("x_asof").isNull(3)).isTrue();
      assertThat(fs.trainingSet(spine, again).load().column("seen").get(1)).isEqualTo(LocalDate.of(2020, 2, 29));
      // outside the 30-day window (DATE keys count whole days)
      Frame late = Frame.builder(spine.schema()).row(1L, LocalDate.of(2026, 1, 31)).row(1L, LocalDate.of(2026, 2, 1))
          .build();
      Frame w = fs.lookupFeatures(again, late);
      assertThat(w.column("x").get(0)).isEqualTo(2.5);
      assertThat(w.column("x").get(1)).isEqualTo(Double.NaN);
    }
  }
}
