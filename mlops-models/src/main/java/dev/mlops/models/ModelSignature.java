package dev.mlops.models;

import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import java.util.List;

/**
 * The columns a model takes and returns, with their types, recorded in its package so that serving can
 * check requests before scoring.
 *
 * <pre>{@code
 * ModelSignature sig = ModelSignature.of(trainFrame.drop("churned").schema(),
 *     Schema.of(Field.of("churned", DataType.INT)));
 * }</pre>
 *
 * @param inputs input columns (empty when unknown)
 * @param outputs output columns (empty when unknown)
 */
public record ModelSignature(List<Field> inputs, List<Field> outputs) {
  /** Copies the lists and rejects repeated names. */
  public ModelSignature {
    inputs = List.copyOf(inputs);
    outputs = List.copyOf(outputs);
    new Schema(inputs); // validates names are unique
    new Schema(outputs);
  }

  /** A signature from input and output schemas. */
  public static ModelSignature of(Schema inputs, Schema outputs) {
    return new ModelSignature(inputs.fields(), outputs.fields());
  }

  /** A signature from an input example frame and the output schema. */
  public static ModelSignature infer(Frame input, Schema outputs) {
    return of(input.schema(), outputs);
  }

  /** No known columns. */
  public static ModelSignature unknown() {
    return new ModelSignature(List.of(), List.of());
  }

  /** The inputs as a schema. */
  public Schema inputSchema() {
    return new Schema(inputs);
  }

  /** The outputs as a schema. */
  public Schema outputSchema() {
    return new Schema(outputs);
  }
}
