package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class SchemaTest {

  private static final Schema S = Schema.of(Field.of("id", DataType.LONG),
      Field.of("spend", DataType.DOUBLE), Field.of("city", DataType.STRING));

  @Test
  void rejects_duplicate_names_naming_the_column() {
    assertThatThrownBy(() -> Schema.of(Field.of("id", DataType.LONG), Field.of("x", DataType.INT),
            Field.of("id", DataType.STRING)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("'id' appears twice")
        .hasMessageContaining("[id, x, id]");
  }

  @Test
  void names_the_first_repeated_column_in_small_and_wide_schemas() {
    for (int width : new int[] {2, 16, 17, 40}) {
      List<Field> fields = new ArrayList<>();
      for (int i = 0; i < width - 1; i++) {
        fields.add(Field.of("c" + i, DataType.INT));
      }
      assertThat(new Schema(fields).size()).as("width %d without a repeat", width - 1).isEqualTo(width - 1);
      // the last column repeats the first, and (wider ones) a middle one repeats c1 later still
      fields.add(Field.of("c0", DataType.LONG));
      if (width > 3) {
        fields.add(Field.of("c1", DataType.LONG));
      }
      assertThatThrownBy(() -> new Schema(fields)).as("width %d", width)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining("'c0' appears twice");
    }
  }

  @Test
  void names_are_case_sensitive() {
    assertThat(Schema.of(Field.of("id", DataType.LONG), Field.of("ID", DataType.LONG)).size()).isEqualTo(2);
  }

  @Test
  void copies_the_list_it_is_given() {
    List<Field> fields = new ArrayList<>(List.of(Field.of("id", DataType.LONG)));
    Schema s = new Schema(fields);
    fields.add(Field.of("x", DataType.INT));

    assertThat(s.size()).isEqualTo(1);
    assertThatThrownBy(() -> s.fields().add(Field.of("y", DataType.INT)))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void looks_up_columns_by_name_and_position() {
    assertThat(S.names()).containsExactly("id", "spend", "city");
    assertThat(S.indexOf("spend")).isEqualTo(1);
    assertThat(S.indexOf("nope")).isEqualTo(-1);
    assertThat(S.contains("city")).isTrue();
    assertThat(S.type("spend")).isEqualTo(DataType.DOUBLE);
    assertThat(S.get(2).name()).isEqualTo("city");
    assertThat(S.find("id")).contains(Field.of("id", DataType.LONG));
    assertThat(S.find("nope")).isEmpty();
  }

  @Test
  void field_of_a_missing_name_lists_what_exists() {
    assertThatThrownBy(() -> S.field("spnd"))
        .isInstanceOf(ColumnNotFoundException.class)
        .hasMessageContaining("'spnd'")
        .hasMessageContaining("[id, spend, city]");
  }

  @Test
  void select_and_plus_build_new_schemas() {
    assertThat(S.select(List.of("city", "id")).names()).containsExactly("city", "id");
    assertThat(S.plus(List.of(Field.of("n", DataType.INT))).names())
        .containsExactly("id", "spend", "city", "n");
    assertThatThrownBy(() -> S.plus(List.of(Field.of("id", DataType.INT))))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void toString_lists_names_and_lower_case_types() {
    assertThat(Schema.of(Field.of("id", DataType.LONG).withNullable(false), Field.of("t", DataType.TIMESTAMP)))
        .hasToString("[id long not null, t timestamp]");
  }

  @Test
  void equality_includes_comments_and_nullability() {
    Schema a = Schema.of(Field.of("id", DataType.LONG));

    assertThat(a).isEqualTo(Schema.of(Field.of("id", DataType.LONG)));
    assertThat(a).isNotEqualTo(Schema.of(Field.of("id", DataType.LONG).withComment("key")));
    assertThat(a).isNotEqualTo(Schema.of(Field.of("id", DataType.LONG).withNullable(false)));
  }

  @Test
  void json_keeps_the_format_of_older_files_and_round_trips_nested_types() {
    Schema old = dev.mlops.core.internal.Json.read(
        "{\"fields\":[{\"name\":\"id\",\"type\":\"LONG\",\"nullable\":false,\"comment\":\"key\"}]}", Schema.class);
    assertThat(old).isEqualTo(Schema.of(Field.of("id", DataType.LONG).withNullable(false).withComment("key")));
    Schema s = Schema.of(Field.of("id", DataType.LONG), Field.of("d", ColumnType.decimal(12, 2)),
        Field.of("items", ColumnType.array(ColumnType.struct(Field.of("v", DataType.STRING),
            Field.of("m", ColumnType.map(ColumnType.of(DataType.STRING), ColumnType.of(DataType.DOUBLE)))))));
    String json = dev.mlops.core.internal.Json.write(s);
    assertThat(json).contains("\"type\" : \"LONG\"");
    assertThat(dev.mlops.core.internal.Json.read(json, Schema.class)).isEqualTo(s);
  }
}
