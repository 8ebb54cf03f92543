package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class FieldTest {

  @Test
  void of_makes_a_nullable_field_without_comment() {
    Field f = Field.of("spend_30d", DataType.DOUBLE);

    assertThat(f.nullable()).isTrue();
    assertThat(f.comment()).isEmpty();
  }

  @Test
  void with_methods_return_changed_copies() {
    Field f = Field.of("id", DataType.LONG);

    assertThat(f.withComment("key").comment()).isEqualTo("key");
    assertThat(f.withNullable(false).nullable()).isFalse();
    assertThat(f.comment()).isEmpty();
    assertThat(f.nullable()).isTrue();
  }

  @Test
  void null_comment_becomes_empty() {
    assertThat(new Field("id", DataType.LONG, true, null).comment()).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"a", "spend_30d", "CustomerId", "x.y", "a-b",
      "naïve", "$col"})
  void accepts_names_delta_allows(String name) {
    assertThat(Field.of(name, DataType.INT).name()).isEqualTo(name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "a\nb", "a\tb", "a\rb", "a\u0000b", "a\u001bb", "a\u007fb", "\u001f"})
  void rejects_empty_names_and_control_characters(String name) {
    assertThatThrownBy(() -> Field.of(name, DataType.INT)).isInstanceOf(InvalidNameException.class);
  }

  @ParameterizedTest
  @ValueSource(strings = {"a b", "a,b", "a;b", "a{b", "a}b", "a(b", "a)b", "a=b", "spend (30d)"})
  void accepts_names_delta_allows_with_column_mapping(String name) {
    assertThat(Field.of(name, DataType.INT).name()).isEqualTo(name);
  }

  @Test
  void rejects_a_null_name() {
    assertThatThrownBy(() -> Field.of(null, DataType.INT))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("empty or null");
  }

  @Test
  void accepts_255_characters_and_rejects_256() {
    assertThat(Field.of("a".repeat(255), DataType.INT).name()).hasSize(255);
    assertThatThrownBy(() -> Field.of("a".repeat(256), DataType.INT))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("256 characters")
        .hasMessageContaining("255");
  }

  @Test
  void bad_character_message_quotes_the_name() {
    assertThatThrownBy(() -> Field.of("spend\t30d", DataType.INT))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("'spend\\u000930d'");
  }

  @Test
  void rejects_a_null_type_naming_the_column() {
    assertThatThrownBy(() -> Field.of("id", (DataType) null))
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("'id'");
  }
}
