package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TableNameTest {

  @Test
  void parse_splits_three_parts() {
    TableName t = TableName.parse("main.crm.customer_features");

    assertThat(t.catalog()).isEqualTo("main");
    assertThat(t.schema()).isEqualTo("crm");
    assertThat(t.name()).isEqualTo("customer_features");
    assertThat(t).hasToString("main.crm.customer_features");
  }

  @Test
  void parts_are_lower_cased_so_names_differing_in_case_are_equal() {
    TableName t = TableName.parse("Main.CRM.Customers_2");

    assertThat(t).hasToString("main.crm.customers_2");
    assertThat(t).isEqualTo(new TableName("MAIN", "crm", "CUSTOMERS_2"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"a.b", "a", "a.b.c.d", ""})
  void parse_rejects_other_than_three_parts(String text) {
    assertThatThrownBy(() -> TableName.parse(text))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("not a three-level name")
        .hasMessageContaining("catalog.schema.name");
  }

  @Test
  void parse_says_how_many_parts_it_found() {
    assertThatThrownBy(() -> TableName.parse("a.b.c.d")).hasMessageContaining("4 part(s)");
    assertThatThrownBy(() -> TableName.parse("a.b")).hasMessageContaining("2 part(s)");
  }

  @ParameterizedTest
  @ValueSource(strings = {".b.c", "a..c", "a.b.", ".."})
  void parse_rejects_an_empty_part(String text) {
    assertThatThrownBy(() -> TableName.parse(text))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("is empty");
  }

  @Test
  void empty_part_message_names_the_level() {
    assertThatThrownBy(() -> TableName.parse("main..t")).hasMessageContaining("schema part of 'main..t'");
  }

  @ParameterizedTest
  @ValueSource(strings = {"main.crm/x.t", "main.crm.a/b", "main.crm.my table", " main.crm.t",
      "main.crm.t ", "main.crm.t-1", "main.crm.\u00e9t\u00e9", "main.crm.a\\b", "main.\u212aey.t"})
  void parse_rejects_characters_other_than_ascii_letters_digits_and_underscore(String text) {
    assertThatThrownBy(() -> TableName.parse(text))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("is not allowed");
  }

  @Test
  void parse_rejects_dot_dot_that_would_leave_the_workspace() {
    assertThatThrownBy(() -> TableName.parse("../../etc.passwd"))
        .isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> new TableName("..", "a", "b")).isInstanceOf(InvalidNameException.class);
  }

  @Test
  void a_part_may_have_255_characters_but_not_256() {
    String ok = "a".repeat(255);
    assertThat(new TableName("c", "s", ok).name()).hasSize(255);

    assertThatThrownBy(() -> new TableName("c", "s", ok + "a"))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("256 characters")
        .hasMessageContaining("255");
  }

  @Test
  void constructor_rejects_null_parts() {
    assertThatThrownBy(() -> new TableName(null, "s", "t")).isInstanceOf(InvalidNameException.class);
    assertThatThrownBy(() -> TableName.parse(null)).isInstanceOf(InvalidNameException.class);
  }

  @Test
  void checkPart_validates_a_single_part() {
    assertThat(TableName.checkPart("CRM", "schema")).isEqualTo("crm");
    assertThatThrownBy(() -> TableName.checkPart("a.b", "schema"))
        .isInstanceOf(InvalidNameException.class)
        .hasMessageContaining("'a.b'");
  }
}
