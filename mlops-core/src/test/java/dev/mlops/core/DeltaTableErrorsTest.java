package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** Bad input gets a typed exception naming the table/column/value, and leaves the table as it was. */
class DeltaTableErrorsTest {
  @TempDir Path dir;
  Workspace ws;
  DeltaTable t;
  Frame before;
  long versionBefore;

  static final Schema SCHEMA = Schema.of(Field.of("id", DataType.LONG), Field.of("city", DataType.STRING));

  @BeforeEach
  void setUp() {
    ws = Workspace.open(dir);
    t = ws.tables().create("main.crm.people").schema(SCHEMA).create();
    t.append(Frame.builder(SCHEMA).row(1L, "Oslo").row(2L, "Lima").build());
    before = t.read().load();
    versionBefore = t.version();
  }

  @AfterEach
  void tearDown() {
    ws.close();
  }

  private void assertUnchanged() {
    assertThat(t.version()).isEqualTo(versionBefore);
    assertThat(t.read().load()).isEqualTo(before);
  }

  private <T extends Throwable> void rejects(Executable e, Class<T> type, String... mentions) {
    Throwable thrown = org.junit.jupiter.api.Assertions.assertThrows(type, e);
    for (String m : mentions) {
      assertThat(thrown.getMessage()).contains(m);
    }
    assertUnchanged();
  }

  @Test
  void null_key_is_rejected_naming_column_and_row() {
    Frame bad = Frame.builder(SCHEMA).row(3L, "Rome").row(null, "Nuuk").build();
    rejects(() -> t.upsert(bad, "id"), KeyConstraintException.class, "'id'", "row 1", "main.crm.people");
  }

  @Test
  void duplicate_keys_in_one_batch_are_rejected_naming_the_key() {
    Frame bad = Frame.builder(SCHEMA).row(3L, "Rome").row(3L, "Nuuk").build();
    rejects(() -> t.upsert(bad, "id"), KeyConstraintException.class, "{id=3}", "rows 0 and 1");
  }

  @Test
  void missing_column_is_rejected() {
    Frame bad = Frame.of(Column.ofLongs("id", 9));
    rejects(() -> t.append(bad), SchemaMismatchException.class, "missing column", "city", "main.crm.people");
  }

  @Test
  void wrong_column_type_is_rejected() {
    Frame bad = Frame.of(Column.ofStrings("id", "9"), Column.ofStrings("city", "x"));
    rejects(() -> t.append(bad), SchemaMismatchException.class, "'id' is STRING in the data but LONG in the table");
  }

  @Test
  void unknown_column_in_data_is_rejected_with_the_fix() {
    Frame bad = Frame.of(Column.ofLongs("id", 9), Column.ofStrings("city", "x"), Column.ofInts("age", 3));
    rejects(() -> t.upsert(bad, "id"), SchemaMismatchException.class, "[age]", "addColumns");
  }

  @Test
  void unknown_column_in_filter_is_rejected() {
    assertThatThrownBy(() -> t.read().filter(Filter.eq("town", "Oslo")).load())
        .isInstanceOf(ColumnNotFoundException.class).hasMessageContaining("'town'").hasMessageContaining("main.crm.people");
    rejects(() -> t.delete(Filter.eq("town", "Oslo")), ColumnNotFoundException.class, "'town'");
  }

  @Test
  void filter_value_of_wrong_type_is_rejected() {
    rejects(() -> t.delete(Filter.eq("id", "one")), SchemaMismatchException.class, "'one'", "'id'", "LONG");
  }

  @Test
  void unknown_column_in_projection_is_rejected() {
    assertThatThrownBy(() -> t.read().columns("id", "zip").load())
        .isInstanceOf(ColumnNotFoundException.class).hasMessageContaining("'zip'");
  }

  @Test
  void version_that_does_not_exist_is_rejected() {
    assertThatThrownBy(() -> t.read().version(99).load()).isInstanceOf(VersionNotFoundException.class)
        .hasMessageContaining("no version 99").hasMessageContaining("up to " + versionBefore);
    assertThatThrownBy(() -> t.read().version(-1).load()).isInstanceOf(VersionNotFoundException.class);
  }

  @Test
  void timestamp_before_first_commit_is_rejected_with_the_range() {
    assertThatThrownBy(() -> t.read().asOf(Instant.parse("2001-01-01T00:00:00Z")).load())
        .isInstanceOf(VersionNotFoundException.class).hasMessageContaining("2001-01-01").hasMessageContaining("span");
  }

  @Test
  void table_that_does_not_exist_is_rejected_with_the_fix() {
    assertThatThrownBy(() -> ws.tables().get("main.crm.nobody")).isInstanceOf(TableNotFoundException.class)
        .hasMessageContaining("main.crm.nobody").hasMessageContaining("create");
    assertThat(ws.tables().find("main.crm.nobody")).isEmpty();
  }

  @Test
  void invalid_names_are_rejected_with_the_rule() {
    for (String bad : List.of("main.crm", "main..x", "main.crm.../x", "a.b.c/d", "main.crm.ta ble", "a.b.c.d")) {
      assertThatThrownBy(() -> ws.tables().create(bad).schema(SCHEMA).create()).as(bad)
          .isInstanceOf(InvalidNameException.class);
    }
    try (var s = Files.walk(dir)) {
      assertThat(s.filter(p -> p.toString().contains("..")).count()).isZero();
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  @Test
  void creating_an_existing_table_fails_unless_if_not_exists() {
    assertThatThrownBy(() -> ws.tables().create("main.crm.people").schema(SCHEMA).create())
        .isInstanceOf(TableAlreadyExistsException.class).hasMessageContaining("ifNotExists");
    DeltaTable same = ws.tables().create("main.crm.people").schema(SCHEMA).ifNotExists().create();
    assertThat(same.version()).isEqualTo(versionBefore);
    assertUnchanged();
  }

  @Test
  void a_path_that_is_not_a_delta_table_is_rejected() throws Exception {
    Path plain = dir.resolve("plain");
    Files.createDirectories(plain);
    Files.writeString(plain.resolve("data.csv"), "a,b\n1,2\n");
    assertThatThrownBy(() -> ws.tables().atPath(plain.toString())).isInstanceOf(TableNotFoundException.class)
        .hasMessageContaining("not a Delta table");
    assertThat(Files.list(plain).count()).isEqualTo(1);
  }

  @Test
  void adding_an_existing_column_is_rejected() {
    rejects(() -> t.addColumns(Field.of("city", DataType.STRING)), SchemaMismatchException.class, "'city' already exists");
  }

  @Test
  void delete_keys_with_wrong_key_type_is_rejected() {
    rejects(() -> t.deleteKeys(Frame.of(Column.ofInts("id", 1))), SchemaMismatchException.class, "'id'");
  }

  @Test
  void double_key_is_rejected() {
    Schema s = Schema.of(Field.of("x", DataType.DOUBLE), Field.of("y", DataType.LONG));
    DeltaTable d = ws.tables().create("main.crm.dbl").schema(s).create();
    assertThatThrownBy(() -> d.upsert(Frame.of(Column.ofDoubles("x", 1.5), Column.ofLongs("y", 1)), "x"))
        .isInstanceOf(SchemaMismatchException.class).hasMessageContaining("DOUBLE");
  }

  @Test
  void delete_keys_with_an_empty_frame_says_what_to_pass() {
    assertThatThrownBy(() -> t.deleteKeys(Frame.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("deleteKeys").hasMessageContaining("main.crm.people").hasMessageNotContaining("Upsert");
    assertUnchanged();
  }

  @Test
  void columns_differing_only_in_case_are_named_not_blamed_on_properties() {
    assertThatThrownBy(() -> ws.tables().create("main.crm.cases").schema(Schema.of(Field.of("id", DataType.LONG),
        Field.of("ID", DataType.LONG))).create()).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("'id'").hasMessageContaining("'ID'").hasMessageNotContaining("properties");
    assertThat(ws.tables().exists("main.crm.cases")).isFalse();
    assertThatThrownBy(() -> t.addColumns(Field.of("City", DataType.STRING))).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("'City'").hasMessageContaining("'city'");
    assertUnchanged();
  }

  @Test
  void null_arguments_are_named_instead_of_a_raw_null_pointer_exception() {
    for (Executable e : List.<Executable>of(() -> t.append(null), () -> t.upsert(null, "id"),
        () -> t.upsert(before, (List<String>) null), () -> t.deleteKeys(null), () -> t.delete(null),
        () -> t.overwrite(null), () -> t.addColumns((Field) null), () -> t.setProperties(null),
        () -> t.read().filter(null), () -> t.read().columns((String) null), () -> t.vacuum(null))) {
      assertThatThrownBy(e::execute).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("main.crm.people")
          .hasMessageContaining("null");
    }
    assertUnchanged();
  }
}
