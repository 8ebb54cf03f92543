package dev.mlops.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** On-demand functions live in explicit registries: two stores in one JVM can give one name two meanings. */
class OnDemandRegistryTest {
  @TempDir Path dir;

  private static void table(FeatureStore fs) {
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("spend", DataType.DOUBLE));
    fs.createTable("main.t.f").primaryKeys("id").create(Frame.builder(s).row(1L, 10.0).row(2L, 4.0).build());
  }

  private static OnDemandFeature times(double k) {
    return OnDemandFeature.of("scaled", DataType.DOUBLE, List.of("spend"), in -> in[0] == null ? null : (Double) in[0] * k);
  }

  @Test
  void two_stores_register_different_functions_under_one_name_and_each_computes_its_own() {
    try (Workspace ws = Workspace.open(dir)) {
      FeatureStore a = FeatureStore.of(ws, OnDemandRegistry.create());
      FeatureStore b = FeatureStore.of(ws, OnDemandRegistry.create());
      table(a);
      Frame spine = Frame.of(Column.ofLongs("id", 1, 2));
      TrainingSet ta = a.trainingSet(spine).lookup(FeatureLookup.table("main.t.f").lookupKey("id")).onDemand(times(2))
          .build();
      TrainingSet tb = b.trainingSet(spine).lookup(FeatureLookup.table("main.t.f").lookupKey("id")).onDemand(times(10))
          .build();
      assertThat(ta.load().column("scaled").toList()).containsExactly(20.0, 8.0);
      assertThat(tb.load().column("scaled").toList()).containsExactly(100.0, 40.0);
      // scoring through each store computes that store's function, whatever was registered last
      Frame keys = Frame.of(Column.ofLongs("id", 2));
      assertThat(a.lookupFeatures(ta.spec(), keys).column("scaled").toList()).containsExactly(8.0);
      assertThat(b.lookupFeatures(tb.spec(), keys).column("scaled").toList()).containsExactly(40.0);
      assertThat(a.onDemandRegistry().names()).containsExactly("scaled");
    }
  }

  @Test
  void a_second_function_under_a_taken_name_is_refused_unless_replaced_on_purpose() {
    OnDemandRegistry r = OnDemandRegistry.create();
    OnDemandFeature first = r.register(times(2));
    assertThat(r.register(first)).isSameAs(first); // the same feature again is fine
    assertThatThrownBy(() -> r.register(times(3))).isInstanceOf(FeatureStoreException.class)
        .hasMessageContaining("'scaled'").hasMessageContaining("replace(");
    assertThat(r.find("scaled")).contains(first);
    OnDemandFeature second = r.replace(times(3));
    assertThat(r.find("scaled")).contains(second);
    assertThatThrownBy(() -> r.register(null)).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void stores_on_one_workspace_object_share_its_registry_and_other_workspaces_do_not() {
    try (Workspace ws = Workspace.open(dir.resolve("a")); Workspace other = Workspace.open(dir.resolve("b"))) {
      FeatureStore.of(ws).onDemandRegistry().register(times(2));
      assertThat(FeatureStore.of(ws).onDemandRegistry().find("scaled")).isPresent();
      assertThat(FeatureStore.of(other).onDemandRegistry().find("scaled")).isEmpty();
    }
  }

  @Test
  @SuppressWarnings("deprecation")
  void code_using_the_old_jvm_wide_registration_keeps_working() {
    try (Workspace ws = Workspace.open(dir)) {
      FeatureStore fs = FeatureStore.of(ws, OnDemandRegistry.create());
      table(fs);
      OnDemandFeature legacy = OnDemandFeature.register(new OnDemandFeature("legacy_double", DataType.DOUBLE,
          List.of("spend"), in -> (Double) in[0] * 2));
      FeatureSpec spec = fs.trainingSet(Frame.of(Column.ofLongs("id", 1)))
          .lookup(FeatureLookup.table("main.t.f").lookupKey("id")).onDemand(legacy).build().spec();
      FeatureStore fresh = FeatureStore.of(ws, OnDemandRegistry.create()); // knows nothing: falls back
      assertThat(fresh.lookupFeatures(spec, Frame.of(Column.ofLongs("id", 2))).column("legacy_double").toList())
          .containsExactly(8.0);
      FeatureSpec unknown = new FeatureSpec(spec.lookups(), List.of(new FeatureSpec.Function("never_registered",
          DataType.DOUBLE, List.of("spend"))), java.util.Optional.empty(), List.of());
      assertThatThrownBy(() -> fresh.lookupFeatures(unknown, Frame.of(Column.ofLongs("id", 2))))
          .isInstanceOf(FeatureStoreException.class).hasMessageContaining("'never_registered'")
          .hasMessageContaining("fs.onDemandRegistry().register");
    }
  }
}
