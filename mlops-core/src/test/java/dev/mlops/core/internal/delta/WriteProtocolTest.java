package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.Workspace;
import io.delta.kernel.TableManager;
import io.delta.kernel.types.FieldMetadata;
import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;
import io.delta.kernel.utils.CloseableIterable;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The rules that keep tables what Spark expects, on real tables. */
class WriteProtocolTest {
  @TempDir Path dir;
  Workspace ws;
  DeltaStore store;

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
    store = new DeltaStore(ws.root(), dir, Map.of());
  }

  @AfterEach
  void close() {
    ws.close();
  }

  /** A table as Spark creates it for {@code id BIGINT, code CHAR(3), name VARCHAR(5)}. */
  private DeltaTable charVarcharTable() {
    String path = dir.resolve("cv").toString();
    StructType schema = new StructType(List.of(new StructField("id", LongType.LONG, true),
        new StructField("code", StringType.STRING, true,
            FieldMetadata.builder().putString(WriteProtocol.CHAR_VARCHAR_KEY, "char(3)").build()),
        new StructField("name", StringType.STRING, true,
            FieldMetadata.builder().putString(WriteProtocol.CHAR_VARCHAR_KEY, "varchar(5)").build())));
    TableManager.buildCreateTableTransaction(path, schema, "test").build(store.engine())
        .commit(store.engine(), CloseableIterable.emptyIterable());
    return ws.tables().atPath(path);
  }

  private static Frame rows(Schema s, Object[]... rows) {
    Frame.Builder b = Frame.builder(s);
    Arrays.stream(rows).forEach(b::row);
    return b.build();
  }

  @Test
  void varchar_values_longer_than_the_limit_are_refused_and_nothing_is_written() {
    DeltaTable t = charVarcharTable();
    Schema s = t.schema();
    assertThat(s).isEqualTo(Schema.of(Field.of("id", DataType.LONG), Field.of("code", DataType.STRING),
        Field.of("name", DataType.STRING)));
    assertThatThrownBy(() -> t.append(rows(s, new Object[] {1L, "abc", "abcdef"})))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("'name'").hasMessageContaining("VARCHAR(5)")
        .hasMessageContaining("6 characters").hasMessageContaining("Nothing was written");
    assertThatThrownBy(() -> t.append(rows(s, new Object[] {1L, "abcd", "a"})))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("'code'").hasMessageContaining("CHAR(3)");
    assertThat(t.version()).isZero();
  }

  @Test
  void like_spark_trailing_spaces_beyond_the_limit_are_cut_and_char_is_padded() {
    DeltaTable t = charVarcharTable();
    Schema s = t.schema();
    // five code points, seven UTF-16 units: the limit counts characters, not units
    t.append(rows(s, new Object[] {1L, "a", "\uD83D\uDE00bcd\uD83D\uDE00"}, new Object[] {2L, "xyz  ", "abc   "},
        new Object[] {3L, null, null}));
    Frame f = t.read().load();
    Frame sorted = f.take(new int[] {indexOf(f, 1), indexOf(f, 2), indexOf(f, 3)});
    assertThat(sorted.column("code").toList()).containsExactly("a  ", "xyz", null);
    assertThat(sorted.column("name").toList()).containsExactly("\uD83D\uDE00bcd\uD83D\uDE00", "abc  ", null);
  }

  private static int indexOf(Frame f, long id) {
    for (int i = 0; i < f.rowCount(); i++) {
      if (f.column("id").getLong(i) == id) {
        return i;
      }
    }
    throw new AssertionError(id);
  }

  @Test
  void row_tracking_tables_take_appends_and_refuse_rewrites_naming_the_feature() throws Exception {
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("v", DataType.STRING));
    DeltaTable t = ws.tables().create("main.w.rt").schema(s).property("delta.enableRowTracking", "true").create();
    t.append(rows(s, new Object[] {1L, "a"}));
    long version = t.version();
    Frame before = t.read().load();
    assertThatThrownBy(() -> t.upsert(rows(s, new Object[] {1L, "b"}), "id"))
        .isInstanceOf(dev.mlops.core.UnsupportedTableFeatureException.class).hasMessageContaining("rowTracking")
        .hasMessageContaining("Cannot UPSERT").hasMessageContaining("Nothing was changed");
    assertThatThrownBy(() -> t.overwrite(rows(s, new Object[] {2L, "c"})))
        .isInstanceOf(dev.mlops.core.UnsupportedTableFeatureException.class).hasMessageContaining("rowTracking");
    assertThat(t.version()).isEqualTo(version);
    assertThat(t.read().load()).isEqualTo(before);
  }

  @Test
  void v2_checkpoint_tables_get_no_classic_checkpoint_from_the_sdk() throws Exception {
    Schema s = Schema.of(Field.of("id", DataType.LONG));
    DeltaTable t = ws.tables().create("main.w.v2").schema(s).property("delta.checkpointPolicy", "v2")
        .property("delta.checkpointInterval", "2").create();
    for (long i = 0; i < 5; i++) {
      t.append(rows(s, new Object[] {i}));
    }
    Path log = Path.of(store.location(dev.mlops.core.TableName.parse("main.w.v2")).replace("file:", ""))
        .resolve("_delta_log");
    try (var files = java.nio.file.Files.list(log)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains("checkpoint"))).isEmpty();
    }
    assertThatThrownBy(t::checkpoint).isInstanceOf(dev.mlops.core.UnsupportedTableFeatureException.class)
        .hasMessageContaining("v2 checkpoints");
    assertThat(t.read().load().rowCount()).isEqualTo(5);
  }

  @Test
  void classic_tables_still_get_checkpoints() throws Exception {
    Schema s = Schema.of(Field.of("id", DataType.LONG));
    DeltaTable t = ws.tables().create("main.w.v1").schema(s).property("delta.checkpointInterval", "2").create();
    for (long i = 0; i < 3; i++) {
      t.append(rows(s, new Object[] {i}));
    }
    Path log = Path.of(store.location(dev.mlops.core.TableName.parse("main.w.v1")).replace("file:", ""))
        .resolve("_delta_log");
    try (var files = java.nio.file.Files.list(log)) {
      assertThat(files.map(p -> p.getFileName().toString()).filter(n -> n.contains("checkpoint"))).isNotEmpty();
    }
  }

  @Test
  void the_allow_list_names_the_writer_feature_that_stops_a_write() {
    assertThatThrownBy(() -> WriteProtocol.checkWriterFeatures(java.util.Set.of("columnMapping", "collations"),
        new StructType(List.of(new StructField("id", LongType.LONG, true))), "APPEND", "main.a.b")).isInstanceOf(dev.mlops.core.UnsupportedTableFeatureException.class)
        .hasMessageContaining("[collations]").hasMessageContaining("Cannot APPEND table main.a.b");
    // implied by a legacy writer version 6 protocol but used by no column: no refusal
    WriteProtocol.checkWriterFeatures(java.util.Set.of("columnMapping", "deletionVectors", "rowTracking",
        "generatedColumns", "identityColumns"), new StructType(List.of(new StructField("id", LongType.LONG, true))),
        "APPEND", "t");
  }
}
