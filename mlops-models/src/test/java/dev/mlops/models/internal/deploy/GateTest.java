package dev.mlops.models.internal.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.models.GateExpressionException;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GateTest {
  static final Map<String, Double> M = Map.of("auc", 0.85, "champion.auc", 0.852, "rmse", 2.0, "champion.rmse", 2.5);

  private static boolean eval(String text) {
    return Gate.parse(text).evaluate(M, true).passed();
  }

  @Test
  void the_issue_example_compares_with_the_champion_minus_a_tolerance() {
    assertThat(eval("auc >= champion.auc - 0.005 && auc >= 0.80")).isTrue();
    assertThat(eval("auc >= champion.auc - 0.001 && auc >= 0.80")).isFalse();
    assertThat(eval("auc >= champion.auc - 0.005 && auc >= 0.90")).isFalse();
    assertThat(Gate.parse("auc >= champion.auc - 0.005 && auc >= 0.80").metrics()).containsExactly("auc", "champion.auc");
  }

  @Test
  void precedence_is_arithmetic_then_comparison_then_not_and_or() {
    assertThat(eval("rmse <= champion.rmse * 0.9 || auc > 0.99")).isTrue(); // 2.0 <= 2.25
    assertThat(eval("rmse <= champion.rmse * 0.7 || auc > 0.99")).isFalse();
    assertThat(eval("false || true && false")).isFalse();
    assertThat(eval("(false || true) && true")).isTrue();
    assertThat(eval("!(auc < 0.5) && -rmse > -3")).isTrue();
    assertThat(eval("rmse / 2 == 1 && rmse - 1 != 0")).isTrue();
    assertThat(eval("1e-3 < 0.01 && .5 == 0.5 && 2E2 == 200")).isTrue();
    assertThat(eval("rmse + 1 - 1 == rmse")).isTrue();
    assertThat(eval("10 - 2 - 3 == 5 && 8 / 2 / 2 == 2")).isTrue(); // left-associative
  }

  @Test
  void without_champion_every_comparison_reading_a_champion_metric_passes() {
    Gate g = Gate.parse("auc >= champion.auc && auc >= 0.9");
    Gate.Result r = g.evaluate(Map.of("auc", 0.95), false);
    assertThat(r.passed()).isTrue();
    assertThat(r.championMissing()).isTrue();
    assertThat(r.values()).containsOnly(Map.entry("auc", 0.95));
    assertThat(g.evaluate(Map.of("auc", 0.85), false).passed()).isFalse();
  }

  @Test
  void nan_fails_comparisons() {
    assertThat(Gate.parse("auc >= 0.5").evaluate(Map.of("auc", Double.NaN), true).passed()).isFalse();
  }

  @Test
  void a_metric_without_value_at_evaluation_is_a_typed_error() {
    assertThatThrownBy(() -> Gate.parse("r2 > 0.5").evaluate(Map.of("auc", 0.9), true))
        .isInstanceOf(GateExpressionException.class).hasMessageContaining("'r2'").hasMessageContaining("[auc]");
  }

  @Test
  void parse_errors_point_at_the_position() {
    assertError("auc >=", "position 6", "expected a number");
    assertError("auc >= 0.8 &&", "position 13");
    assertError("auc >= 0.8 & auc < 1", "'&' alone");
    assertError("auc = 0.8", "'=' alone");
    assertError("(auc >= 0.8", "expected ')'");
    assertError("auc >= 0.8)", "unexpected ')'");
    assertError("auc >= 0.8 $", "unexpected character '$'");
    assertError("auc + 0.1", "is a number, not a condition");
    assertError("auc && 0.8 > 1", "joins conditions");
    assertError("(auc > 1) + 1 > 0", "works on numbers");
    assertError("(auc > 1) >= (auc > 2)", "compares numbers");
    assertError("challenger.auc > 0", "not a metric name");
    assertError("champion.x.y > 0", "not a metric name");
    assertError("1.2.3 > 0", "not a number");
    assertError("   ", "empty");
  }

  private static void assertError(String text, String... parts) {
    assertThatThrownBy(() -> Gate.parse(text)).isInstanceOf(GateExpressionException.class)
        .hasMessageContaining(text.isBlank() ? "" : text).satisfies(e -> {
          for (String p : parts) {
            assertThat(e.getMessage()).contains(p);
          }
          assertThat(((GateExpressionException) e).expression()).isEqualTo(text);
        });
  }

  @Test
  void unknown_metrics_are_reported_with_the_known_ones() {
    Gate g = Gate.parse("auc > champion.f1");
    g.checkKnown(Set.of("auc", "champion.f1"), "approve");
    assertThatThrownBy(() -> g.checkKnown(Set.of("auc", "f1"), "approve")).isInstanceOf(GateExpressionException.class)
        .hasMessageContaining("'champion.f1'").hasMessageContaining("[auc, f1]").hasMessageContaining("'approve'");
  }
}
