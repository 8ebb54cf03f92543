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

  @Test
  void recording_the_same_edge_again_adds_no_row_and_no_commit() {
    try (Workspace ws = Workspace.open(dir)) {
      Lineage lin = ws.lineage();
      Lineage.Edge e = Lineage.Edge.of(Lineage.Node.table("main.raw.orders", 3), Lineage.Node.table("main.crm.f", 1), "writes");
      lin.record(List.of(e));
      long v = ws.tables().get(Lineage.TABLE).version();
      lin.record(List.of(e, e));
      lin.record(List.of(Lineage.Edge.of(e.from(), e.to(), "writes")));
      assertThat(lin.edges()).hasSize(1);
      assertThat(ws.tables().get(Lineage.TABLE).version()).isEqualTo(v);
    }
  }

  @Test
  void an_edge_lost_between_the_data_commit_and_the_lineage_commit_is_repaired_by_the_next_read() {
    try (Workspace ws = Workspace.open(dir)) {
      DeltaTable t = ws.tables().create("main.crm.f").schema(Schema.of(Field.of("id", DataType.LONG))).create();
      // The writer "dies" right after its data commit (an Error is not caught by recordWrite), so the
      // lineage commit never happens.
      org.assertj.core.api.Assertions.assertThatThrownBy(() -> ws.lineage().recordWrite("main.crm.f",
          List.of(Lineage.Node.table("main.raw.orders", 4)), "writes", tags -> {
            WriteOptions o = WriteOptions.defaults();
            for (var en : tags.entrySet()) {
              o = o.tag(en.getKey(), en.getValue());
            }
            t.append(Frame.of(Column.ofLongs("id", 1)), o);
            throw new OutOfMemoryError("simulated crash after the data commit");
          })).isInstanceOf(OutOfMemoryError.class);
      assertThat(t.version()).isEqualTo(1);
      assertThat(t.history().get(0).tags()).containsKey(Lineage.TAG_ID)
          .containsEntry(Lineage.TAG_SOURCES, "TABLE:main.raw.orders@4");
      assertThat(ws.tables().exists(Lineage.TABLE)).isFalse();
    }
    try (Workspace ws = Workspace.open(dir)) { // a later process reads the lineage graph
      List<Lineage.Edge> up = ws.lineage().upstream(Lineage.Node.table("main.crm.f"));
      assertThat(up).hasSize(1);
      assertThat(up.get(0).from()).isEqualTo(Lineage.Node.table("main.raw.orders", 4));
      assertThat(up.get(0).to()).isEqualTo(Lineage.Node.table("main.crm.f", 1));
      assertThat(ws.lineage().edges()).hasSize(1);
      assertThat(dir.resolve(".mlops/lineage-outbox")).isEmptyDirectory();
    }
  }
}
