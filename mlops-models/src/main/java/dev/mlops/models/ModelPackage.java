package dev.mlops.models;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.StorageException;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.internal.Json;
import dev.mlops.models.internal.Args;
import dev.mlops.models.internal.Checksums;
import dev.mlops.models.internal.DescriptorJson;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.DescriptorJson.ExampleJson;
import dev.mlops.models.internal.DescriptorJson.FieldJson;
import dev.mlops.models.internal.DescriptorJson.SignatureJson;
import dev.mlops.models.internal.Files2;
import dev.mlops.models.internal.SystemInfo;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.NotSerializableException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.io.Serializable;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A model and everything needed to trust and reuse it, written as a directory:
 * <pre>
 * MLmodel.json     descriptor: flavor, model class, signature, input example, feature spec,
 *                  hyperparameters, seed, metrics, provenance (SDK/Java/OS, git), training time
 * model.ser        the serialized model (Java serialization, streamed)
 * checksums.json   SHA-256 and size of every other file
 * </pre>
 * The directory is written under a temporary name and renamed into place, so it exists whole or not at
 * all. Loading ({@link #load(Path)}) verifies every checksum before anything is deserialized, and
 * deserialization admits only the classes of the flavor's allow-list (see {@link LoadedModel}).
 *
 * <pre>{@code
 * ModelPackage pkg = ModelPackage.builder()
 *     .flavor("smile").model(logisticRegression)
 *     .signature(ModelSignature.of(inputs.schema(), Schema.of(Field.of("label", DataType.INT))))
 *     .inputExample(inputs.head(3))
 *     .hyperparameters(Map.of("lambda", 0.1)).seed(42).metric("auc", 0.91)
 *     .build();
 * run.logModel("model", pkg);
 * ModelVersion v = registry.register("main.ml.churn", run.artifactUri("model"));
 * }</pre>
 */
public final class ModelPackage {
  /** The package format this release writes and the newest it reads ({@code formatVersion} in the descriptor). */
  static final int PACKAGE_FORMAT = 1;

  /** File name of the descriptor. */
  public static final String DESCRIPTOR = "MLmodel.json";
  /** File name of the serialized model. */
  public static final String MODEL_FILE = "model.ser";

  private static final Pattern FLAVOR = Pattern.compile("[a-z][a-z0-9_\\-]{0,63}");
  private static final TypeReference<Map<String, Object>> OBJECT_MAP = new TypeReference<>() {};

  private final String flavor;
  private final Serializable model;
  private final ModelSignature signature;
  private final Frame inputExample;
  private final Map<String, Object> featureSpec;
  private final Map<String, Object> hyperparameters;
  private final Long seed;
  private final Map<String, Double> metrics;
  private final Instant trainedAt;
  private final Duration trainingDuration;

  private ModelPackage(Builder b) {
    this.flavor = b.flavor;
    this.model = b.model;
    this.signature = b.signature;
    this.inputExample = b.inputExample;
    this.featureSpec = Map.copyOf(b.featureSpec);
    this.hyperparameters = Map.copyOf(b.hyperparameters);
    this.seed = b.seed;
    this.metrics = Map.copyOf(b.metrics);
    this.trainedAt = b.trainedAt;
    this.trainingDuration = b.trainingDuration;
  }

  /** A builder; {@link Builder#model(Serializable)} is the only required call. */
  public static Builder builder() {
    return new Builder();
  }

  /** The feature spec this package records (empty when none). */
  public Map<String, Object> featureSpec() {
    return featureSpec;
  }

  /**
   * Writes the package into a new directory, atomically: the directory appears complete or not at all.
   *
   * @throws MlopsException when target already exists, or the model is not serializable
   */
  public PackageDescriptor writeTo(Path target) {
    Args.notNull(target, "The target directory", "give a path that does not exist yet, e.g. Path.of(\"models/churn-1\")");
    return writeTo(target, true);
  }

  /** Writes the package; syncParent=false when the parent is itself a staging directory forced later. */
  PackageDescriptor writeTo(Path target, boolean syncParent) {
    Path abs = target.toAbsolutePath().normalize();
    Path parent = Files2.mkdirs(abs.getParent());
    if (Files.exists(abs)) {
      throw Errors.packageExists(abs);
    }
    Path tmp = parent.resolve("." + abs.getFileName() + "." + UUID.randomUUID() + ".tmp");
    Files2.mkdirs(tmp);
    try {
      Map<String, Checksums.Entry> sums = new LinkedHashMap<>();
      sums.put(MODEL_FILE, writeModel(tmp.resolve(MODEL_FILE)));
      DescriptorJson d = descriptorJson();
      byte[] desc = Json.write(d).getBytes(StandardCharsets.UTF_8);
      Files2.writeNew(tmp.resolve(DESCRIPTOR), desc);
      sums.put(DESCRIPTOR, new Checksums.Entry(Checksums.sha256(desc), desc.length));
      Checksums.writeUnsynced(tmp, sums);
      Files2.forceAll(List.of(tmp.resolve(MODEL_FILE), tmp.resolve(DESCRIPTOR), tmp.resolve(Checksums.FILE), tmp));
      try {
        Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | java.nio.file.DirectoryNotEmptyException e) {
        throw Errors.packageRace(abs, e);
      } catch (IOException e) {
        throw Errors.io("move the model package into " + abs, e);
      }
      if (syncParent) {
        Files2.syncDir(parent);
      }
      return toDescriptor(d);
    } finally {
      Files2.deleteTreeQuietly(tmp);
    }
  }

  private Checksums.Entry writeModel(Path file) {
    MessageDigest md = Checksums.sha256();
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
      OutputStream raw = Channels.newOutputStream(ch);
      DigestOutputStream digest = new DigestOutputStream(raw, md);
      ObjectOutputStream out = new ObjectOutputStream(new BufferedOutputStream(digest, 1 << 16));
      out.writeObject(model);
      out.flush(); // forced with the other files by writeTo
      return new Checksums.Entry(Checksums.hex(md.digest()), ch.size());
    } catch (NotSerializableException e) {
      throw Errors.notSerializable(model.getClass().getName(), e);
    } catch (IOException e) {
      throw Errors.io("write the model to " + file, e);
    }
  }

  private DescriptorJson descriptorJson() {
    SignatureJson sig = new SignatureJson(fields(signature.inputs()), fields(signature.outputs()));
    ExampleJson ex = null;
    if (inputExample != null) {
      List<List<Object>> rows = new ArrayList<>();
      for (int r = 0; r < inputExample.rowCount(); r++) {
        List<Object> row = new ArrayList<>();
        for (Column c : inputExample.columns()) {
          row.add(jsonValue(c, r));
        }
        rows.add(row);
      }
      ex = new ExampleJson(fields(inputExample.schema().fields()), rows);
    }
    return new DescriptorJson(PACKAGE_FORMAT, flavor, model.getClass().getName(), MODEL_FILE, sig, ex, featureSpec,
        hyperparameters, seed, metrics, SystemInfo.runTags(), trainedAt.toEpochMilli(),
        trainingDuration == null ? null : trainingDuration.toMillis());
  }

  private static Object jsonValue(Column c, int r) {
    if (c.isNull(r)) {
      return null;
    }
    Object v = c.get(r);
    if (v instanceof Double && !Double.isFinite((Double) v) || v instanceof Float && !Float.isFinite((Float) v)) {
      return null;
    }
    if (v instanceof Instant || v instanceof LocalDate || v instanceof java.time.LocalDateTime) {
      return v.toString();
    }
    if (v instanceof java.math.BigDecimal d) {
      return d.toPlainString(); // exact: a JSON number would come back as a double
    }
    if (v instanceof byte[] b) {
      return java.util.Base64.getEncoder().encodeToString(b);
    }
    return v;
  }

  private static List<FieldJson> fields(List<Field> fields) {
    List<FieldJson> out = new ArrayList<>();
    for (Field f : fields) {
      // simple kinds keep their name ("LONG"); a decimal records its precision and scale ("DECIMAL(7,2)")
      String type = f.columnType() instanceof dev.mlops.core.ColumnType.Decimal d
          ? "DECIMAL(" + d.precision() + "," + d.scale() + ")" : f.type().name();
      out.add(new FieldJson(f.name(), type, f.nullable()));
    }
    return out;
  }

  // ------------------------------------------------------------------------------------ reading

  /**
   * Verifies a package directory (every checksum) and reads its descriptor. Nothing is deserialized.
   *
   * @throws ModelIntegrityException when a file is missing, extra, truncated or modified
   */
  public static PackageDescriptor verify(Path dir) {
    Args.notNull(dir, "The package directory", "give a directory written by ModelPackage.writeTo");
    Checksums.verify(dir, "Model package " + dir.getFileName());
    return readDescriptor(dir);
  }

  /**
   * Verifies a package and returns it ready to deserialize through the allow-list.
   *
   * <pre>{@code
   * LoadedModel m = ModelPackage.load(Path.of("model"));
   * LogisticRegression lr = m.deserialize(LogisticRegression.class);
   * }</pre>
   *
   * @throws ModelIntegrityException when a file is missing, extra, truncated or modified
   */
  public static LoadedModel load(Path dir) {
    Args.notNull(dir, "The package directory", "give a directory written by ModelPackage.writeTo");
    String what = "Model package " + dir;
    Checksums.verify(dir, what);
    return new LoadedModel(dir, readDescriptor(dir), Checksums.read(dir), Optional.empty(), what);
  }

  static PackageDescriptor readDescriptor(Path dir) {
    DescriptorJson d;
    try {
      d = Json.MAPPER.readValue(Files.readAllBytes(dir.resolve(DESCRIPTOR)), DescriptorJson.class);
    } catch (IOException e) {
      throw Errors.unreadableDescriptor(dir.resolve(DESCRIPTOR), e);
    }
    if (d.formatVersion() > PACKAGE_FORMAT) {
      throw Errors.newerFormat(dir.resolve(DESCRIPTOR), d.formatVersion(), PACKAGE_FORMAT);
    }
    return toDescriptor(d);
  }

  private static PackageDescriptor toDescriptor(DescriptorJson d) {
    ModelSignature sig = d.signature() == null ? ModelSignature.unknown()
        : new ModelSignature(toFields(d.signature().inputs()), toFields(d.signature().outputs()));
    Optional<Frame> example = Optional.empty();
    if (d.inputExample() != null) {
      Schema schema = new Schema(toFields(d.inputExample().columns()));
      Frame.Builder b = Frame.builder(schema);
      for (List<Object> row : d.inputExample().rows()) {
        Object[] vals = new Object[schema.size()];
        for (int i = 0; i < vals.length; i++) {
          vals[i] = fromJson(row.get(i), schema.get(i).columnType());
        }
        b.row(vals);
      }
      example = Optional.of(b.build());
    }
    return new PackageDescriptor(d.formatVersion(), d.flavor(), d.modelClass(), sig, example,
        d.featureSpec() == null ? Map.of() : d.featureSpec(),
        d.hyperparameters() == null ? Map.of() : d.hyperparameters(),
        d.seed() == null ? OptionalLong.empty() : OptionalLong.of(d.seed()),
        d.metrics() == null ? Map.of() : d.metrics(),
        Provenance.fromTags(d.provenance() == null ? Map.of() : d.provenance()),
        Instant.ofEpochMilli(d.trainedAt()),
        Optional.ofNullable(d.trainingMillis()).map(Duration::ofMillis));
  }

  private static Object fromJson(Object v, dev.mlops.core.ColumnType ct) {
    if (v == null) {
      return null;
    }
    switch (ct.kind()) {
      case LONG:
        return ((Number) v).longValue();
      case INT:
        return ((Number) v).intValue();
      case SHORT:
        return ((Number) v).shortValue();
      case BYTE:
        return ((Number) v).byteValue();
      case DOUBLE:
        return ((Number) v).doubleValue();
      case FLOAT:
        return ((Number) v).floatValue();
      case DECIMAL:
        return new java.math.BigDecimal(v.toString()).setScale(((dev.mlops.core.ColumnType.Decimal) ct).scale());
      case BINARY:
        return java.util.Base64.getDecoder().decode(v.toString());
      case TIMESTAMP:
        return Instant.parse(v.toString());
      case TIMESTAMP_NTZ:
        return java.time.LocalDateTime.parse(v.toString());
      case DATE:
        return LocalDate.parse(v.toString());
      default:
        return v;
    }
  }

  private static final java.util.regex.Pattern DECIMAL_TYPE = java.util.regex.Pattern.compile("DECIMAL\\((\\d+),(\\d+)\\)");

  private static List<Field> toFields(List<FieldJson> fs) {
    List<Field> out = new ArrayList<>();
    if (fs != null) {
      for (FieldJson f : fs) {
        java.util.regex.Matcher m = DECIMAL_TYPE.matcher(f.type());
        out.add(m.matches()
            ? new Field(f.name(), dev.mlops.core.ColumnType.decimal(Integer.parseInt(m.group(1)),
                Integer.parseInt(m.group(2))), f.nullable(), "")
            : new Field(f.name(), DataType.valueOf(f.type()), f.nullable(), ""));
      }
    }
    return out;
  }

  /** Builds a {@link ModelPackage}; every setter validates its argument. */
  public static final class Builder {
    private String flavor = "java";
    private Serializable model;
    private ModelSignature signature = ModelSignature.unknown();
    private Frame inputExample;
    private Map<String, Object> featureSpec = Map.of();
    private final Map<String, Object> hyperparameters = new LinkedHashMap<>();
    private Long seed;
    private final Map<String, Double> metrics = new LinkedHashMap<>();
    private Instant trainedAt;
    private Duration trainingDuration;

    private Builder() {}

    /**
     * The model's library: "smile" (allow-list {@code smile.**} and the few JDK classes Smile models
     * need) or "java" (the default: boxed primitives and String only, plus the class asked for when
     * deserializing).
     */
    public Builder flavor(String value) {
      if (value == null || !FLAVOR.matcher(value).matches()) {
        throw Errors.badFlavor(value);
      }
      this.flavor = value;
      return this;
    }

    /** The model object (required). */
    public Builder model(Serializable value) {
      this.model = Args.notNull(value, "The model", "give the trained, Serializable model object");
      return this;
    }

    /** Input and output columns. */
    public Builder signature(ModelSignature value) {
      this.signature = Args.notNull(value, "The signature", "give ModelSignature.of(inputs, outputs), or leave it out (unknown)");
      return this;
    }

    /** A few input rows (at most 100) stored in the descriptor. */
    public Builder inputExample(Frame value) {
      Args.notNull(value, "The input example", "give a few rows, e.g. frame.head(3), or leave it out");
      if (value.rowCount() > 100) {
        throw Errors.exampleTooLarge(value.rowCount());
      }
      this.inputExample = value;
      return this;
    }

    /**
     * The training set's feature spec (any JSON-like map), for lineage; e.g.
     * {@code {"tables": [{"name": "main.crm.features", "version": 7, "features": ["spend_30d"]}]}}.
     */
    public Builder featureSpec(Map<String, ?> value) {
      this.featureSpec = jsonMap(value, "featureSpec");
      return this;
    }

    /** Training hyperparameters: text, numbers or booleans. */
    public Builder hyperparameters(Map<String, ?> values) {
      Args.notNull(values, "The hyperparameters", "give a map, e.g. Map.of(\"lambda\", 0.1)");
      values.forEach(this::hyperparameter);
      return this;
    }

    /** One hyperparameter: text, a number or a boolean. */
    public Builder hyperparameter(String key, Object value) {
      Args.notNull(key, "A hyperparameter key", "give a name such as \"lambda\"");
      if (!(value instanceof String || value instanceof Number || value instanceof Boolean)) {
        throw Errors.badPackageHyperparameter(key, value == null ? "null" : "a " + value.getClass().getName(),
            "give text, a number or a boolean");
      }
      if (value instanceof Double && !Double.isFinite((Double) value)) {
        throw Errors.badPackageHyperparameter(key, value, "give a finite number");
      }
      hyperparameters.put(key, value);
      return this;
    }

    /** The random seed used in training. */
    public Builder seed(long value) {
      this.seed = value;
      return this;
    }

    /** Evaluation metrics (finite values). */
    public Builder metrics(Map<String, Double> values) {
      Args.notNull(values, "The metrics", "give a map, e.g. Map.of(\"auc\", 0.91)");
      values.forEach(this::metric);
      return this;
    }

    /** One evaluation metric (a finite value). */
    public Builder metric(String key, double value) {
      Args.notNull(key, "A metric key", "give a name such as \"auc\"");
      if (!Double.isFinite(value)) {
        throw Errors.badPackageMetric(key, value);
      }
      metrics.put(key, value);
      return this;
    }

    /** When training happened (default: when the package is built). */
    public Builder trainedAt(Instant value) {
      this.trainedAt = Args.notNull(value, "The training time", "give an Instant, or leave it out (now)");
      return this;
    }

    /** How long training took. */
    public Builder trainingDuration(Duration value) {
      if (value == null || value.isNegative()) {
        throw Errors.badTrainingDuration(value);
      }
      this.trainingDuration = value;
      return this;
    }

    /**
     * The package, ready to write.
     *
     * @throws IllegalStateException when no model was given
     */
    public ModelPackage build() {
      if (model == null) {
        throw Errors.packageWithoutModel();
      }
      if (trainedAt == null) {
        trainedAt = Instant.now();
      }
      return new ModelPackage(this);
    }
  }

  private static void checkJsonLike(Object v, String where) {
    if (v == null || v instanceof String || v instanceof Number || v instanceof Boolean) {
      return;
    }
    if (v instanceof Map) {
      for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
        if (!(e.getKey() instanceof String)) {
          throw Errors.notJsonLike(where + " has a key " + e.getKey() + " that is not text", null);
        }
        checkJsonLike(e.getValue(), where + "." + e.getKey());
      }
      return;
    }
    if (v instanceof java.util.Collection) {
      int i = 0;
      for (Object o : (java.util.Collection<?>) v) {
        checkJsonLike(o, where + "[" + i++ + "]");
      }
      return;
    }
    throw Errors.notJsonLike(where + " is a " + v.getClass().getName(), null);
  }

  static Map<String, Object> jsonMap(Map<String, ?> value, String what) {
    Args.notNull(value, what, "give a JSON-like map of text, numbers, booleans, lists and maps");
    checkJsonLike(value, what);
    try {
      return Json.MAPPER.convertValue(value, OBJECT_MAP);
    } catch (IllegalArgumentException e) {
      throw Errors.notJsonLike(what + " (" + e.getMessage() + ")", e);
    }
  }
}
