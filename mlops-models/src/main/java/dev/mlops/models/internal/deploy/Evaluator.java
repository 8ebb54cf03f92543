package dev.mlops.models.internal.deploy;

import dev.mlops.core.Column;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import dev.mlops.models.DeploymentException;
import dev.mlops.models.LoadedModel;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.Predictor;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.Metrics;
import dev.mlops.models.internal.ModelBundle;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * Metrics of a registered version on labelled rows, with the metric code training uses
 * ({@link Metrics}): the rows go through {@link Predictor#predict} (signature checked), and the
 * prediction columns are compared with the label.
 */
public final class Evaluator {
  private Evaluator() {}

  /** The classification and regression metric names this evaluation can report. */
  public static final List<String> METRICS = List.of("accuracy", "precision", "recall", "f1", "auc", "log_loss",
      "rmse", "mae", "r2");

  /**
   * Scores one version.
   *
   * @throws DeploymentException when the model was not trained by the SDK or the rows lack its label
   */
  public static Map<String, Double> metrics(Workspace ws, ModelRegistry registry, String uri, Frame rows) {
    LoadedModel loaded = registry.load(uri);
    if (!"smile".equals(loaded.descriptor().flavor())) {
      throw Errors.notATrainerPackage(uri, loaded.descriptor().flavor(), loaded.descriptor().modelClass());
    }
    ModelBundle bundle;
    try {
      bundle = loaded.deserialize(ModelBundle.class, ModelBundle.ALLOWED);
    } catch (dev.mlops.models.ModelIntegrityException e) {
      throw e;
    } catch (RuntimeException e) {
      throw Errors.notATrainerModel(uri, loaded.descriptor().modelClass(), e);
    }
    if (!rows.hasColumn(bundle.label)) {
      throw Errors.noLabelColumn(bundle.label, uri, rows.schema().names());
    }
    Column label = rows.column(bundle.label);
    Frame labelled = label.hasNulls() ? rows.filter(i -> !label.isNull(i)) : rows;
    if (labelled.rowCount() == 0) {
      throw Errors.noLabelledRows(uri, bundle.label);
    }
    Frame out = Predictor.load(ws, uri).predict(labelled);
    Column y = out.column(bundle.label);
    if ("CLASSIFICATION".equals(bundle.task)) {
      int k = bundle.classes.length;
      Map<String, Integer> index = new HashMap<>();
      for (int c = 0; c < k; c++) {
        index.put(bundle.classes[c], c);
      }
      int n = out.rowCount();
      int[] actual = new int[n];
      TreeSet<String> unknown = new TreeSet<>();
      for (int i = 0; i < n; i++) {
        Integer c = index.get(String.valueOf(y.get(i)));
        if (c == null) {
          unknown.add(String.valueOf(y.get(i)));
        } else {
          actual[i] = c;
        }
      }
      if (!unknown.isEmpty()) {
        throw Errors.unknownLabelValues(unknown, bundle.label, uri, List.of(bundle.classes));
      }
      double[][] prob = new double[n][k];
      for (int c = 0; c < k; c++) {
        double[] col = out.column("probability_" + sanitize(bundle.classes[c])).toDoubleArray();
        for (int i = 0; i < n; i++) {
          prob[i][c] = col[i];
        }
      }
      return Metrics.classification(actual, prob, k, new int[k][k]);
    }
    return Metrics.regression(y.toDoubleArray(), out.column("prediction").toDoubleArray());
  }

  private static String sanitize(String s) {
    return s.replaceAll("[^A-Za-z0-9_]", "_"); // as Predictor names its probability columns
  }

  static List<String> championNames(List<String> names) {
    List<String> out = new ArrayList<>();
    for (String n : names) {
      out.add(Gate.CHAMPION + "." + n);
    }
    return out;
  }
}
