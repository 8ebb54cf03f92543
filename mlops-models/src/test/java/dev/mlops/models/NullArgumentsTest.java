package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Null arguments to the public API of tracking, registry and scoring get a typed message, never a raw NPE. */
class NullArgumentsTest {
  @TempDir Path dir;

  @Test
  void a_null_metric_value_is_called_null_and_the_message_says_how_to_fix_it() {
    Workspace ws = Workspace.open(dir);
    try (Run run = Tracking.of(ws).experiment("e").start("r")) {
      Map<String, Double> values = new HashMap<>();
      values.put("auc", 0.9);
      values.put("loss", null);
      assertThatThrownBy(() -> run.logMetrics(values, 3)).isInstanceOf(InvalidMetricException.class)
          .hasMessageContaining("'loss'").hasMessageContaining("null").hasMessageNotContaining("NaN")
          .hasMessageContaining("Nothing was written").hasMessageContaining("leave the key out");
      assertThat(run.info().metrics()).isEmpty(); // all checked before any is written
    }
  }

  @Test
  void null_arguments_get_typed_messages_naming_the_argument() {
    Workspace ws = Workspace.open(dir);
    Tracking tracking = Tracking.of(ws);
    ModelRegistry registry = ModelRegistry.of(ws);
    registry.register("main.ml.m", TestModels.placeholderPackage(1), null);
    Run run = tracking.experiment("e").start("r");
    Map<String, Object> nullValued = new LinkedHashMap<>();
    nullValued.put("k", null);
    Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
    calls.put("Tracking.of", () -> Tracking.of(null));
    calls.put("ModelRegistry.of", () -> ModelRegistry.of(null));
    calls.put("experiment", () -> tracking.experiment(null));
    calls.put("findExperiment", () -> tracking.findExperiment(null));
    calls.put("getRun", () -> tracking.getRun(null));
    calls.put("findRun", () -> tracking.findRun(null));
    calls.put("metricHistory", () -> tracking.metricHistory(run.id(), null));
    calls.put("tracking.setTag", () -> tracking.setTag(run.id(), "k", null));
    calls.put("endRun", () -> tracking.endRun(run.id(), null));
    calls.put("artifact", () -> tracking.artifact(run.id(), null));
    calls.put("searchRuns", () -> tracking.searchRuns(null, ""));
    calls.put("tracking.run", () -> tracking.run("e", "x", null));
    calls.put("logParam key", () -> run.logParam(null, 1));
    calls.put("logParams", () -> run.logParams(null));
    calls.put("logParams null value", () -> run.logParams(nullValued));
    calls.put("logMetric key", () -> run.logMetric(null, 1.0));
    calls.put("logMetrics", () -> run.logMetrics(null, 0));
    calls.put("setTag key", () -> run.setTag(null, "v"));
    calls.put("setTag value", () -> run.setTag("k", null));
    calls.put("logFeatureSpec", () -> run.logFeatureSpec(null));
    calls.put("logArtifact", () -> run.logArtifact(null));
    calls.put("logArtifact path", () -> run.logArtifact(dir.resolve("x"), null));
    calls.put("logArtifacts", () -> run.logArtifacts(null, ""));
    calls.put("logModel", () -> run.logModel("model", null));
    calls.put("startChild", () -> run.startChild(null));
    calls.put("end", () -> run.end(null));
    calls.put("createModel", () -> registry.createModel(null));
    calls.put("createModel description", () -> registry.createModel("main.ml.n", null, Map.of()));
    calls.put("createModel tags", () -> registry.createModel("main.ml.n", "", null));
    calls.put("getModel", () -> registry.getModel(null));
    calls.put("updateDescription", () -> registry.updateDescription("main.ml.m", null));
    calls.put("setModelTag", () -> registry.setModelTag("main.ml.m", "k", null));
    calls.put("register uri", () -> registry.register("main.ml.m", (String) null));
    calls.put("getVersion alias", () -> registry.getVersion("main.ml.m", (String) null));
    calls.put("setAlias", () -> registry.setAlias("main.ml.m", null, 1));
    calls.put("setVersionTag", () -> registry.setVersionTag("main.ml.m", 1, "k", null));
    calls.put("resolve", () -> registry.resolve(null));
    calls.put("load", () -> registry.load(null));
    calls.put("versionsTrainedOn", () -> registry.versionsTrainedOn(null));
    calls.put("Predictor.load ws", () -> Predictor.load(null, "models:/main.ml.m/1"));
    calls.put("Predictor.load uri", () -> Predictor.load(ws, null));
    calls.put("deserialize", () -> registry.load("models:/main.ml.m/1").deserialize(null));
    calls.put("builder model", () -> ModelPackage.builder().model(null));
    calls.put("builder signature", () -> ModelPackage.builder().signature(null));
    calls.put("builder inputExample", () -> ModelPackage.builder().inputExample(null));
    calls.put("builder featureSpec", () -> ModelPackage.builder().featureSpec(null));
    calls.put("builder hyperparameters", () -> ModelPackage.builder().hyperparameters(null));
    calls.put("builder hyperparameter key", () -> ModelPackage.builder().hyperparameter(null, 1));
    calls.put("builder metrics", () -> ModelPackage.builder().metrics(null));
    calls.put("builder metric key", () -> ModelPackage.builder().metric(null, 1));
    calls.put("builder trainedAt", () -> ModelPackage.builder().trainedAt(null));
    calls.put("writeTo", () -> TestModels.placeholderPackage(1).writeTo(null));
    calls.put("ModelPackage.load", () -> ModelPackage.load(null));
    calls.put("ModelPackage.verify", () -> ModelPackage.verify(null));
    List<String> raw = new ArrayList<>();
    calls.forEach((what, call) -> {
      Throwable t = org.assertj.core.api.Assertions.catchThrowable(call);
      assertThat(t).as(what + " threw nothing").isNotNull();
      if (t instanceof NullPointerException || t.getMessage() == null || t.getMessage().length() < 20) {
        raw.add(what + ": " + t);
      }
    });
    assertThat(raw).as("raw or bare exceptions").isEmpty();
    run.close();
  }

  @Test
  void null_arguments_to_the_trainer_and_a_trained_model_are_named_with_the_fix() {
    Workspace ws = Workspace.open(dir);
    ModelRegistry registry = ModelRegistry.of(ws);
    Frame rows = TrainerTest.data(60, 1);
    Trainer t = Trainer.on(rows).label("churned");
    TrainedModel model = Trainer.on(rows).label("churned").algorithm(Algorithm.randomForest().trees(3))
        .validation(Validation.none()).fit();
    Map<String, ThrowingCallable> calls = new LinkedHashMap<>();
    Map<String, String> names = new LinkedHashMap<>();
    calls.put("Trainer.on training set", () -> Trainer.on((dev.mlops.features.TrainingSet) null));
    names.put("Trainer.on training set", "The training set");
    calls.put("Trainer.on frame", () -> Trainer.on((Frame) null));
    names.put("Trainer.on frame", "The training rows");
    calls.put("task", () -> t.task(null));
    names.put("task", "The task");
    calls.put("label", () -> t.label(null));
    names.put("label", "The label column");
    calls.put("features array", () -> t.features((String[]) null));
    names.put("features array", "The list of feature columns");
    calls.put("features element", () -> t.features("x1", null));
    names.put("features element", "A feature column name");
    calls.put("exclude", () -> t.exclude((String) null));
    names.put("exclude", "An excluded column name");
    calls.put("algorithm", () -> t.algorithm(null));
    names.put("algorithm", "The algorithm");
    calls.put("preprocessing", () -> t.preprocessing(null));
    names.put("preprocessing", "The preprocessing");
    calls.put("validation", () -> t.validation(null));
    names.put("validation", "The validation");
    calls.put("progress", () -> t.progress(null));
    names.put("progress", "The progress listener");
    calls.put("run", () -> t.run(null));
    names.put("run", "The run");
    calls.put("reproduce ws", () -> Trainer.reproduce(null, "models:/main.ml.m/1"));
    names.put("reproduce ws", "The workspace");
    calls.put("reproduce uri", () -> Trainer.reproduce(ws, null));
    names.put("reproduce uri", "The model URI");
    calls.put("register registry", () -> model.register(null, "main.ml.m"));
    names.put("register registry", "The registry");
    calls.put("register name", () -> model.register(registry, null));
    names.put("register name", "The model name");
    calls.put("logTo", () -> model.logTo(null));
    names.put("logTo", "The run");
    calls.put("predict", () -> model.predict(null));
    names.put("predict", "The rows to predict");
    calls.forEach((what, call) -> assertThatThrownBy(call).as(what).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith(names.get(what) + " is null: "));
    assertThat(registry.listModels()).isEmpty(); // nothing was registered on the way
  }
}
