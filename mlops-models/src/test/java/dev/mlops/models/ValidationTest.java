package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.internal.Json;
import org.junit.jupiter.api.Test;

class ValidationTest {

  @Test
  void each_kind_is_its_own_record_with_only_its_own_setting() {
    assertThat(Validation.holdout(0.2)).isEqualTo(new Validation.Holdout(0.2));
    assertThat(((Validation.KFold) Validation.kFold(5)).folds()).isEqualTo(5);
    assertThat(Validation.none()).isInstanceOf(Validation.None.class);
    assertThat(Validation.kFold(5).describe()).isEqualTo("kfold(5)");
  }

  @Test
  void bad_settings_are_refused_with_the_value() {
    assertThatThrownBy(() -> Validation.holdout(1.0)).isInstanceOf(TrainingException.class).hasMessageContaining("1.0");
    assertThatThrownBy(() -> Validation.kFold(1)).isInstanceOf(TrainingException.class).hasMessageContaining("not 1");
  }

  @Test
  void saved_as_a_kind_and_its_setting_and_read_back() {
    String json = Json.write(Validation.kFold(4));

    assertThat(json).contains("\"kind\" : \"kfold\"").contains("\"folds\" : 4").doesNotContain("fraction");
    assertThat(Json.read(json, Validation.class)).isEqualTo(Validation.kFold(4));
    assertThat(Json.read(Json.write(Validation.none()), Validation.class)).isEqualTo(Validation.none());
  }

  @Test
  void reads_the_earlier_record_form_with_every_field() {
    assertThat(Json.read("{\"kind\":\"holdout\",\"fraction\":0.25,\"folds\":0}", Validation.class))
        .isEqualTo(Validation.holdout(0.25));
  }
}
