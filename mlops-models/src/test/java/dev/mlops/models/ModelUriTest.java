package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ModelUriTest {
  static final String RUN = "0123456789abcdef0123456789abcdef";

  @Test
  void parses_the_four_forms_and_prints_them_back() {
    ModelUri v = ModelUri.parse("models:/Main.ML.Churn/3");
    assertThat(v.kind()).isEqualTo(ModelUri.Kind.VERSION);
    assertThat(v.name()).contains("main.ml.churn");
    assertThat(v.version()).hasValue(3);
    assertThat(v).hasToString("models:/main.ml.churn/3");

    ModelUri a = ModelUri.parse("models:/main.ml.churn@Champion");
    assertThat(a.kind()).isEqualTo(ModelUri.Kind.ALIAS);
    assertThat(a.alias()).contains("champion");

    assertThat(ModelUri.parse("models:/main.ml.churn/latest").kind()).isEqualTo(ModelUri.Kind.LATEST);

    ModelUri r = ModelUri.parse("runs:/" + RUN + "/models/lr");
    assertThat(r.kind()).isEqualTo(ModelUri.Kind.RUN);
    assertThat(r.runId()).contains(RUN);
    assertThat(r.artifactPath()).contains("models/lr");
    assertThat(r).hasToString("runs:/" + RUN + "/models/lr");
  }

  @Test
  void builds_uris_from_parts() {
    assertThat(ModelUri.of("main.ml.churn", 2)).isEqualTo("models:/main.ml.churn/2");
    assertThat(ModelUri.ofAlias("main.ml.churn", "champion")).isEqualTo("models:/main.ml.churn@champion");
  }

  @Test
  void malformed_uris_are_refused_with_the_uri_and_the_accepted_forms() {
    for (String bad : List.of("", "models:/", "models:/main.ml.churn", "models:/main.ml/1", "models:/main.ml.churn/x",
        "models:/main.ml.churn/-1", "models:/main.ml.churn/0", "models:/main.ml.churn@", "models:/main.ml.churn@latest",
        "models:/../x.y.z/1", "runs:/" + RUN, "runs:/" + RUN + "/", "runs:/xyz/model", "runs:/" + RUN + "/../x",
        "runs:/" + RUN + "//x", "mlflow:/x", "file:///etc/passwd")) {
      assertThatThrownBy(() -> ModelUri.parse(bad)).as(bad).isInstanceOf(InvalidModelUriException.class)
          .hasMessageContaining("'" + bad + "'").hasMessageContaining("models:/<catalog.schema.name>@<alias>");
    }
    assertThatThrownBy(() -> ModelUri.parse(null)).isInstanceOf(InvalidModelUriException.class);
  }
}
