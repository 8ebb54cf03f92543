package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.Workspace;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** NOT NULL inside struct fields, array elements and map values is enforced on write, naming the path. */
class NestedNotNullTest {
  @TempDir Path dir;
  Workspace ws;

  @BeforeEach
  void open() {
    ws = Workspace.open(dir);
  }

  @AfterEach
  void close() {
    ws.close();
  }

  /** The table's types: a.b NOT NULL, tags without null elements, m without null values. */
  private static final Schema STRICT = Schema.of(Field.of("id", DataType.LONG),
      Field.of("a", ColumnType.struct(Field.of("b", DataType.INT).withNullable(false), Field.of("c", DataType.STRING))),
      Field.of("tags", new ColumnType.ArrayOf(ColumnType.of(DataType.STRING), false)),
      Field.of("m", new ColumnType.MapOf(ColumnType.of(DataType.STRING),
          ColumnType.struct(Field.of("x", DataType.LONG).withNullable(false)), true)));

  /** The same shapes with every nested part nullable: frames of it may hold the nulls the table forbids. */
  private static final Schema LOOSE = Schema.of(Field.of("id", DataType.LONG),
      Field.of("a", ColumnType.struct(Field.of("b", DataType.INT), Field.of("c", DataType.STRING))),
      Field.of("tags", ColumnType.array(DataType.STRING)),
      Field.of("m", ColumnType.map(ColumnType.of(DataType.STRING), ColumnType.struct(Field.of("x", DataType.LONG)))));

  private static Map<String, Object> struct(Object... kv) {
    Map<String, Object> m = new HashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put((String) kv[i], kv[i + 1]);
    }
    return m;
  }

  private static Set<String> files(Path p) throws IOException {
    try (Stream<Path> s = Files.walk(p)) {
      return s.filter(Files::isRegularFile).map(Path::toString).collect(Collectors.toSet());
    }
  }

  @Test
  void nulls_where_the_table_says_not_null_are_refused_naming_the_path_and_nothing_is_written() throws IOException {
    DeltaTable t = ws.tables().create("main.n.t").schema(STRICT).create();
    Frame good = Frame.builder(LOOSE).row(1L, struct("b", 1, "c", null), List.of("x"), Map.of("k", struct("x", 1L)))
        .row(2L, null, null, null).build();
    t.append(good);
    assertThat(t.read().load().rowCount()).isEqualTo(2);
    long version = t.version();
    Set<String> before = files(dir);

    Object[][] bad = {
        {struct("b", null, "c", "x"), List.of("x"), null, "a.b"},
        {null, java.util.Arrays.asList("x", null), null, "tags.element"},
        {null, null, Map.of("k", struct("x", null)), "m.value.x"}};
    for (Object[] b : bad) {
      Frame f = Frame.builder(LOOSE).row(3L, null, null, null).row(4L, b[0], b[1], b[2]).build();
      assertThatThrownBy(() -> t.append(f)).as((String) b[3]).isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("Column '" + b[3] + "'").hasMessageContaining("main.n.t")
          .hasMessageContaining("row 1").hasMessageContaining("Nothing was written");
      assertThatThrownBy(() -> t.upsert(f, "id")).isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("Column '" + b[3] + "'");
    }
    assertThat(t.version()).isEqualTo(version);
    assertThat(files(dir)).isEqualTo(before);
  }

  @Test
  void paths_name_struct_fields_array_elements_and_map_values() {
    ColumnType deep = ColumnType.array(ColumnType.struct(Field.of("q", DataType.INT).withNullable(false)));
    assertThat(NestedNotNull.hasNotNull(deep)).isTrue();
    assertThat(NestedNotNull.hasNotNull(ColumnType.array(DataType.INT))).isFalse();
    assertThat(NestedNotNull.firstNull(List.of(Map.of("q", 1), struct("q", null)), deep, "w")).isEqualTo("w.element.q");
    assertThat(NestedNotNull.firstNull(List.of(Map.of("q", 1)), deep, "w")).isNull();
  }
}
