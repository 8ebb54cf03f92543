package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LineageTest {
  @TempDir Path dir;

  @Test
  void edges_are_queryable_both_ways_and_transitively() {
    try (Workspace ws = Workspace.open(dir)) {
      Lineage lin = ws.lineage();
      assertThat(lin.edges()).isEmpty();
      lin.record(List.of(
          Lineage.Edge.of(Lineage.Node.table("main.raw.orders", 3), Lineage.Node.table("main.crm.features", 1), "writes"),
          Lineage.Edge.of(Lineage.Node.job("nightly"), Lineage.Node.table("main.crm.features", 1), "writes")));
      lin.record(List.of(Lineage.Edge.of(Lineage.Node.table("main.crm.features", 1),
          new Lineage.Node("MODEL", "main.ml.churn", 1L), "trained_on")));
      assertThat(lin.upstream(Lineage.Node.table("main.crm.features"))).extracting(e -> e.from().name())
          .containsExactlyInAnyOrder("main.raw.orders", "nightly");
      assertThat(lin.upstream(Lineage.Node.table("main.crm.features", 2))).isEmpty();
      assertThat(lin.downstream(Lineage.Node.table("main.raw.orders")).get(0).from().version()).isEqualTo(3L);
      assertThat(lin.downstreamClosure(Lineage.Node.table("main.raw.orders")))
          .containsExactly(Lineage.Node.table("main.crm.features"), new Lineage.Node("MODEL", "main.ml.churn", null));
      assertThat(lin.upstreamClosure(new Lineage.Node("MODEL", "main.ml.churn", null)))
          .contains(Lineage.Node.table("main.raw.orders"), Lineage.Node.job("nightly"));
      assertThat(ws.tables().exists(Lineage.TABLE)).isTrue();
    }
  }
}
