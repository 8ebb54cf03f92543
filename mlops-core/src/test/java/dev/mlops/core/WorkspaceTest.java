package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkspaceTest {
  @TempDir Path dir;

  static final Schema S = Schema.of(Field.of("id", DataType.LONG));

  @Test
  void lists_catalogs_schemas_and_tables_that_exist() {
    try (Workspace ws = Workspace.open(dir.resolve("lake"))) {
      ws.tables().create("main.crm.a").schema(S).create();
      ws.tables().create("main.crm.b").schema(S).create();
      ws.tables().create("dev.ml.c").schema(S).create();
      assertThat(ws.catalogs()).containsExactly("dev", "main");
      assertThat(ws.schemas("main")).containsExactly("crm");
      assertThat(ws.tables().list("main", "crm")).extracting(TableName::toString).containsExactly("main.crm.a", "main.crm.b");
      assertThat(ws.tables().list()).hasSize(3);
      assertThat(ws.tables().drop("main.crm.a")).isTrue();
      assertThat(ws.tables().drop("main.crm.a")).isFalse();
      assertThat(ws.tables().exists("main.crm.a")).isFalse();
      assertThat(ws.tables().list("main", "crm")).extracting(TableName::toString).containsExactly("main.crm.b");
    }
  }

  @Test
  void names_are_case_insensitive() {
    try (Workspace ws = Workspace.open(dir)) {
      ws.tables().create("Main.CRM.People").schema(S).create();
      assertThat(ws.tables().exists("main.crm.people")).isTrue();
      assertThat(Files.isDirectory(dir.resolve("tables/main/crm/people/_delta_log"))).isTrue();
    }
  }

  @Test
  void file_uri_opens_a_local_workspace() {
    try (Workspace ws = Workspace.open(URI.create(dir.toUri().toString()), Map.of())) {
      assertThat(ws.localRoot()).contains(dir.toAbsolutePath().normalize());
      ws.tables().create("main.a.b").schema(S).create().append(Frame.of(Column.ofLongs("id", 1, 2)));
      assertThat(ws.tables().get("main.a.b").read().load().rowCount()).isEqualTo(2);
    }
  }

  @Test
  void local_dir_rejects_names_that_escape_the_root() {
    try (Workspace ws = Workspace.open(dir)) {
      assertThat(ws.localDir("registry")).isEqualTo(dir.toAbsolutePath().normalize().resolve("registry"));
      assertThatThrownBy(() -> ws.localDir("../x")).isInstanceOf(InvalidNameException.class);
    }
  }

  @Test
  void a_workspace_path_with_spaces_works() {
    try (Workspace ws = Workspace.open(dir.resolve("my lake"))) {
      DeltaTable t = ws.tables().create("main.a.b").schema(S).create();
      t.append(Frame.of(Column.ofLongs("id", 1, 2)));
      t.upsert(Frame.of(Column.ofLongs("id", 2, 3)), "id");
      assertThat(t.read().load().rowCount()).isEqualTo(3);
    }
  }
}
