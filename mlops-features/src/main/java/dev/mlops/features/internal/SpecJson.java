package dev.mlops.features.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;
import dev.mlops.core.DataType;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.internal.Json;
import dev.mlops.core.internal.Values;
import dev.mlops.features.FeatureSpec;
import dev.mlops.features.FeatureStoreException;
import java.io.IOException;
import java.math.BigDecimal;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The saved JSON form of a {@link FeatureSpec}, written and read by hand so that every default value
 * comes back as exactly the value it was: each default is decoded with its feature's type (dates and
 * timestamps as ISO text, NaN and infinities as text, longs as exact JSON integers). Carries
 * {@code formatVersion}; reads the earlier, unversioned form too.
 *
 * <p>Format 1: {@code {"formatVersion":1, "lookups":[{"table", "tableVersion", "primaryKeys",
 * "lookupKeys", "timestampKey"?, "timestampLookupKey"?, "features", "featureTypes", "outputs",
 * "defaults", "lookback"? (ISO-8601 duration), "timestampOutput"?}], "onDemand":[{"name", "type",
 * "inputs"}], "label"?, "exclude"}}; absent optional members mean "none".
 *
 * <p>Unversioned (before format 1): {@code ""} meant no label / timestamp key, and {@code
 * lookbackMicros} held microseconds for TIMESTAMP keys but days for DATE keys ({@code -1} = none).
 * A legacy window of one day or more in microseconds is unambiguous; a positive smaller value
 * could be either unit and is refused with a message saying how to rebuild the spec.
 */
public final class SpecJson {
  private SpecJson() {}

  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  private static final long MICROS_PER_DAY = 86_400_000_000L;

  /** Jackson serializer: lets specs inside other values (model descriptors) use the same form. */
  public static final class Writer extends StdSerializer<FeatureSpec> {
    private static final long serialVersionUID = 1L;

    /** Used by Jackson. */
    public Writer() {
      super(FeatureSpec.class);
    }

    @Override
    public void serialize(FeatureSpec value, JsonGenerator gen, SerializerProvider provider) throws IOException {
      gen.writeTree(toTree(value));
    }
  }

  /** Jackson deserializer (e.g. {@code Json.MAPPER.convertValue(map, FeatureSpec.class)}). */
  public static final class Reader extends StdDeserializer<FeatureSpec> {
    private static final long serialVersionUID = 1L;

    /** Used by Jackson. */
    public Reader() {
      super(FeatureSpec.class);
    }

    @Override
    public FeatureSpec deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      return fromTree(p.readValueAsTree());
    }
  }

  /** Pretty JSON text. */
  public static String write(FeatureSpec spec) {
    return Json.write(toTree(spec));
  }

  /** Parses text. */
  public static FeatureSpec read(String json) {
    return fromTree(Json.tree(json));
  }

  // ------------------------------------------------------------------ values

  /**
   * The canonical Java value of a default for its column type (what a column of that type returns
   * from {@code get}), e.g. Integer 0 for a DOUBLE feature becomes 0.0.
   *
   * @throws FeatureStoreException when the value does not fit the type
   */
  public static Object canonical(DataType type, Object value, String feature, String table) {
    if (value == null) {
      throw Errors.defaultValueFeatureNull(feature, table, type);
    }
    Object arr = Values.newArray(type, 1);
    try {
      Values.set(arr, type, 0, value, feature);
    } catch (SchemaMismatchException | ArithmeticException e) {
      throw Errors.defaultValueFeatureFit(Values.quote(value), value.getClass().getSimpleName(), feature, table, type,
          Values.javaTypeFor(type));
    }
    return Values.box(arr, type, 0);
  }

  /** The JSON form of a canonical default. */
  static JsonNode encode(DataType type, Object v) {
    switch (type.name()) {
      case "DOUBLE":
        double d = ((Number) v).doubleValue();
        return Double.isFinite(d) ? NODES.numberNode(d) : NODES.textNode(Double.toString(d));
      case "FLOAT":
        float f = ((Number) v).floatValue();
        return Float.isFinite(f) ? NODES.numberNode(f) : NODES.textNode(Float.toString(f));
      case "DECIMAL":
        return NODES.textNode(((BigDecimal) v).toString());
      case "BINARY":
        return NODES.textNode(Base64.getEncoder().encodeToString((byte[]) v));
      case "DATE":
      case "TIMESTAMP":
      case "TIMESTAMP_NTZ":
        return NODES.textNode(v.toString());
      default:
        return Json.MAPPER.valueToTree(v);
    }
  }

  /** The value a JSON default stands for, as the canonical Java value of its type. */
  static Object decode(DataType type, JsonNode n, String feature, String table) {
    Object v;
    try {
      v = switch (type.name()) {
        case "DOUBLE" -> n.isNumber() ? (Object) n.doubleValue() : (Object) Double.parseDouble(text(n));
        case "FLOAT" -> n.isNumber() ? (Object) n.floatValue() : (Object) Float.parseFloat(text(n));
        case "LONG", "INT", "SHORT", "BYTE" -> integral(n);
        case "BOOLEAN" -> n.isBoolean() ? (Object) n.booleanValue() : (Object) bool(text(n));
        case "STRING" -> text(n);
        case "DATE" -> n.isIntegralNumber() ? (Object) n.intValue() : LocalDate.parse(text(n));
        case "TIMESTAMP" -> n.isIntegralNumber() ? (Object) n.longValue() : timestamp(text(n));
        case "TIMESTAMP_NTZ" -> LocalDateTime.parse(text(n));
        case "DECIMAL" -> n.isNumber() ? n.decimalValue() : new BigDecimal(text(n));
        case "BINARY" -> Base64.getDecoder().decode(text(n));
        default -> Json.MAPPER.treeToValue(n, Object.class);
      };
    } catch (IOException | RuntimeException e) {
      throw Errors.defaultFeatureFeatureSpec(n, feature, table, type, e.getMessage());
    }
    return canonical(type, v, feature, table);
  }

  private static String text(JsonNode n) {
    if (!n.isTextual()) {
      throw Errors.notText(n.getNodeType());
    }
    return n.textValue();
  }

  private static Object integral(JsonNode n) {
    if (n.isIntegralNumber()) {
      if (!n.canConvertToLong()) {
        throw Errors.outOfLongRange();
      }
      return n.longValue();
    }
    if (n.isNumber()) {
      throw Errors.notAnInteger();
    }
    return Long.parseLong(text(n));
  }

  private static boolean bool(String s) {
    if (s.equals("true") || s.equals("false")) {
      return Boolean.parseBoolean(s);
    }
    throw Errors.notABoolean();
  }

  private static Instant timestamp(String s) {
    try {
      return Instant.parse(s);
    } catch (DateTimeParseException e) {
      return Values.parseTimestamp(s);
    }
  }

  // ------------------------------------------------------------------ spec

  static ObjectNode toTree(FeatureSpec spec) {
    ObjectNode o = NODES.objectNode();
    o.put("formatVersion", FeatureSpec.FORMAT_VERSION);
    ArrayNode lookups = o.putArray("lookups");
    for (FeatureSpec.Lookup l : spec.lookups()) {
      ObjectNode j = lookups.addObject();
      j.put("table", l.table());
      j.put("tableVersion", l.tableVersion());
      strings(j.putArray("primaryKeys"), l.primaryKeys());
      strings(j.putArray("lookupKeys"), l.lookupKeys());
      l.timestampKey().ifPresent(v -> j.put("timestampKey", v));
      l.timestampLookupKey().ifPresent(v -> j.put("timestampLookupKey", v));
      strings(j.putArray("features"), l.features());
      ObjectNode types = j.putObject("featureTypes");
      for (String f : l.features()) {
        types.put(f, l.featureTypes().get(f).name());
      }
      ObjectNode outputs = j.putObject("outputs");
      new TreeMap<>(l.outputs()).forEach(outputs::put);
      ObjectNode defaults = j.putObject("defaults");
      new TreeMap<>(l.defaults()).forEach((f, v) -> defaults.set(f, encode(l.featureTypes().get(f), v)));
      l.lookback().ifPresent(d -> j.put("lookback", d.toString()));
      l.timestampOutput().ifPresent(v -> j.put("timestampOutput", v));
    }
    ArrayNode fns = o.putArray("onDemand");
    for (FeatureSpec.Function f : spec.onDemand()) {
      ObjectNode j = fns.addObject();
      j.put("name", f.name());
      j.put("type", f.type().name());
      strings(j.putArray("inputs"), f.inputs());
    }
    spec.label().ifPresent(v -> o.put("label", v));
    strings(o.putArray("exclude"), spec.exclude());
    return o;
  }

  private static void strings(ArrayNode a, List<String> values) {
    values.forEach(a::add);
  }

  static FeatureSpec fromTree(JsonNode o) {
    if (o == null || !o.isObject()) {
      throw Errors.featureSpecJsonObject(o == null ? null : o.getNodeType());
    }
    JsonNode fv = o.get("formatVersion");
    int version = fv == null || fv.isNull() ? 0 : fv.asInt(-1);
    if (version < 0 || version > FeatureSpec.FORMAT_VERSION) {
      throw Errors.featureSpecFormatVersionSdk(fv, FeatureSpec.FORMAT_VERSION);
    }
    boolean legacy = version == 0;
    List<FeatureSpec.Lookup> lookups = new ArrayList<>();
    for (JsonNode j : array(o, "lookups")) {
      String table = required(j, "table").asText();
      Map<String, DataType> types = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = object(j, "featureTypes").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        types.put(e.getKey(), type(e.getValue().asText(), e.getKey(), table));
      }
      Map<String, String> outputs = new LinkedHashMap<>();
      object(j, "outputs").fields().forEachRemaining(e -> outputs.put(e.getKey(), e.getValue().asText()));
      Map<String, Object> defaults = new LinkedHashMap<>();
      for (Iterator<Map.Entry<String, JsonNode>> it = object(j, "defaults").fields(); it.hasNext(); ) {
        Map.Entry<String, JsonNode> e = it.next();
        DataType t = types.get(e.getKey());
        if (t == null) {
          throw Errors.featureSpecGivesDefault(e.getKey(), table, types.keySet());
        }
        defaults.put(e.getKey(), decode(t, e.getValue(), e.getKey(), table));
      }
      Optional<Duration> lookback;
      if (legacy) {
        lookback = legacyLookback(j.path("lookbackMicros").asLong(-1), table);
      } else {
        lookback = optionalText(j, "lookback").map(s -> {
          try {
            return Duration.parse(s);
          } catch (DateTimeParseException e) {
            throw Errors.lookbackLookupIsoDuration(s, table);
          }
        });
      }
      lookups.add(new FeatureSpec.Lookup(table, required(j, "tableVersion").asLong(), strings(j, "primaryKeys"),
          strings(j, "lookupKeys"), optionalText(j, "timestampKey"), optionalText(j, "timestampLookupKey"),
          strings(j, "features"), types, outputs, defaults, lookback, optionalText(j, "timestampOutput")));
    }
    List<FeatureSpec.Function> fns = new ArrayList<>();
    for (JsonNode j : array(o, "onDemand")) {
      String name = required(j, "name").asText();
      fns.add(new FeatureSpec.Function(name, type(required(j, "type").asText(), name, "on-demand features"),
          strings(j, "inputs")));
    }
    return new FeatureSpec(lookups, fns, optionalText(o, "label"), strings(o, "exclude"));
  }

  private static Optional<Duration> legacyLookback(long v, String table) {
    if (v < 0) {
      return Optional.empty();
    }
    if (v == 0) {
      return Optional.of(Duration.ZERO); // zero days and zero microseconds mean the same
    }
    if (v >= MICROS_PER_DAY) {
      return Optional.of(Duration.ofSeconds(v / 1_000_000, (v % 1_000_000) * 1000));
    }
    throw Errors.featureSpecSavedBefore(table, v);
  }

  private static DataType type(String name, String column, String where) {
    try {
      return DataType.valueOf(name);
    } catch (IllegalArgumentException e) {
      throw Errors.typeFeatureSpecType(name, column, where);
    }
  }

  private static JsonNode required(JsonNode j, String field) {
    JsonNode n = j.get(field);
    if (n == null || n.isNull()) {
      throw Errors.featureSpecJsonLacks(field, j);
    }
    return n;
  }

  private static Iterable<JsonNode> array(JsonNode j, String field) {
    JsonNode n = j.get(field);
    return n == null || n.isNull() ? List.of() : n;
  }

  private static JsonNode object(JsonNode j, String field) {
    JsonNode n = j.get(field);
    return n == null || n.isNull() ? NODES.objectNode() : n;
  }

  private static List<String> strings(JsonNode j, String field) {
    List<String> out = new ArrayList<>();
    array(j, field).forEach(n -> out.add(n.asText()));
    return out;
  }

  private static Optional<String> optionalText(JsonNode j, String field) {
    JsonNode n = j.get(field);
    return n == null || n.isNull() ? Optional.empty() : Optional.of(n.asText()).filter(s -> !s.isEmpty());
  }
}
