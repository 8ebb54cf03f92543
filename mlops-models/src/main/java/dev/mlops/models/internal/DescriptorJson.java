package dev.mlops.models.internal;

import java.util.List;
import java.util.Map;

/**
 * The stored form of a package descriptor ({@code MLmodel.json}). Nullable fields; the public
 * {@code PackageDescriptor} is built from it.
 */
public record DescriptorJson(int formatVersion, String flavor, String modelClass, String modelFile,
    SignatureJson signature, ExampleJson inputExample, Map<String, Object> featureSpec,
    Map<String, Object> hyperparameters, Long seed, Map<String, Double> metrics,
    Map<String, String> provenance, long trainedAt, Long trainingMillis) {

  /** A column: name, type, nullable. */
  public record FieldJson(String name, String type, boolean nullable) {}

  /** Input and output columns. */
  public record SignatureJson(List<FieldJson> inputs, List<FieldJson> outputs) {}

  /** A few input rows with their column types. */
  public record ExampleJson(List<FieldJson> columns, List<List<Object>> rows) {}
}
