package dev.mlops.models.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import dev.mlops.models.Algorithm;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The saved form of an {@link Algorithm} in a training config: {@code {"name": "randomForest",
 * "hyperparameters": {"trees": 100, ...}}} — the form 0.1.0 wrote, so its configs still load. A
 * setting left out takes its default; a random forest's {@code mtry} of 0 (what 0.1.0 wrote for
 * "automatic") or no mtry means automatic. This is the only place algorithm settings are strings.
 */
public final class AlgorithmJson {
  private AlgorithmJson() {}

  /** Writes an algorithm as name + hyperparameters. */
  public static final class Writer extends JsonSerializer<Algorithm> {
    @Override
    public void serialize(Algorithm a, JsonGenerator g, SerializerProvider p) throws IOException {
      g.writeStartObject();
      g.writeStringField("name", a.name());
      g.writeObjectField("hyperparameters", a.hyperparameters());
      g.writeEndObject();
    }
  }

  /** Reads what {@link Writer} (or 0.1.0) wrote. */
  public static final class Reader extends JsonDeserializer<Algorithm> {
    @Override
    public Algorithm deserialize(JsonParser p, DeserializationContext c) throws IOException {
      JsonNode n = p.readValueAsTree();
      JsonNode name = n.get("name");
      Map<String, Number> hp = new LinkedHashMap<>();
      JsonNode h = n.get("hyperparameters");
      if (h != null && h.isObject()) {
        for (Map.Entry<String, JsonNode> e : h.properties()) {
          if (!e.getValue().isNumber()) {
            throw Errors.hyperparameter(name == null ? "?" : name.asText(), e.getKey(), e.getValue().toString(), "a number");
          }
          hp.put(e.getKey(), e.getValue().numberValue());
        }
      }
      return of(name == null ? null : name.asText(), hp);
    }
  }

  /**
   * An algorithm from its saved name and settings (defaults for what is left out).
   *
   * @throws dev.mlops.models.TrainingException for an unknown algorithm or setting, or a value out of range
   */
  public static Algorithm of(String name, Map<String, Number> hp) {
    if (name == null) {
      throw Errors.unknownAlgorithm(null);
    }
    Algorithm a = switch (name) {
      case "logisticRegression" -> Algorithm.logisticRegression();
      case "randomForest" -> Algorithm.randomForest();
      case "gradientBoosting" -> Algorithm.gradientBoosting();
      case "linearRegression" -> Algorithm.linearRegression();
      case "ridge" -> Algorithm.ridge();
      case "lasso" -> Algorithm.lasso();
      default -> throw Errors.unknownAlgorithm(name);
    };
    for (Map.Entry<String, Number> e : hp.entrySet()) {
      a = set(a, e.getKey(), e.getValue());
    }
    return a;
  }

  private static Algorithm set(Algorithm a, String key, Number v) {
    if (a instanceof Algorithm.LogisticRegression l) {
      switch (key) {
        case "lambda": return l.lambda(v.doubleValue());
        case "tolerance": return l.tolerance(v.doubleValue());
        case "maxIterations": return l.maxIterations(integer(a, key, v));
        default: break;
      }
    } else if (a instanceof Algorithm.RandomForest f) {
      switch (key) {
        case "trees": return f.trees(integer(a, key, v));
        case "maxDepth": return f.maxDepth(integer(a, key, v));
        case "maxNodes": return f.maxNodes(integer(a, key, v));
        case "minLeafSize": return f.minLeafSize(integer(a, key, v));
        case "mtry": return integer(a, key, v) == 0 ? f : f.mtry(integer(a, key, v));
        case "subsample": return f.subsample(v.doubleValue());
        default: break;
      }
    } else if (a instanceof Algorithm.GradientBoosting g) {
      switch (key) {
        case "trees": return g.trees(integer(a, key, v));
        case "maxDepth": return g.maxDepth(integer(a, key, v));
        case "maxNodes": return g.maxNodes(integer(a, key, v));
        case "minLeafSize": return g.minLeafSize(integer(a, key, v));
        case "shrinkage": return g.shrinkage(v.doubleValue());
        case "subsample": return g.subsample(v.doubleValue());
        default: break;
      }
    } else if (a instanceof Algorithm.Ridge r) {
      if (key.equals("lambda")) {
        return r.lambda(v.doubleValue());
      }
    } else if (a instanceof Algorithm.Lasso l) {
      switch (key) {
        case "lambda": return l.lambda(v.doubleValue());
        case "tolerance": return l.tolerance(v.doubleValue());
        case "maxIterations": return l.maxIterations(integer(a, key, v));
        default: break;
      }
    }
    throw Errors.unknownHyperparameter(a.name(), key, a.hyperparameters().keySet());
  }

  private static int integer(Algorithm a, String key, Number v) {
    double d = v.doubleValue();
    if (d != Math.rint(d) || d > Integer.MAX_VALUE || d < Integer.MIN_VALUE) {
      throw Errors.hyperparameter(a.name(), key, v, "an integer");
    }
    return (int) d;
  }
}
