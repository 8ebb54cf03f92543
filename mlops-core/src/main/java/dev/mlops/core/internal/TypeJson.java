package dev.mlops.core.internal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonSerializer;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * JSON of {@link Field} and {@link ColumnType} for the SDK's metadata files, compatible with files
 * written before ColumnType existed: a field is {@code {"name", "type", "nullable", "comment"}} where
 * {@code type} is the kind's name ({@code "LONG"}) for a type without parameters, else an object:
 * {@code {"kind":"DECIMAL","precision":12,"scale":2}}, {@code {"kind":"STRUCT","fields":[...]}},
 * {@code {"kind":"ARRAY","element":...,"containsNull":true}},
 * {@code {"kind":"MAP","key":...,"value":...,"valueContainsNull":true}}.
 */
final class TypeJson {
  private TypeJson() {}

  static SimpleModule module() {
    SimpleModule m = new SimpleModule("mlops-types");
    m.addSerializer(Field.class, new JsonSerializer<>() {
      @Override
      public void serialize(Field f, JsonGenerator g, SerializerProvider p) throws IOException {
        writeField(f, g);
      }
    });
    m.addSerializer(ColumnType.class, new JsonSerializer<>() {
      @Override
      public void serialize(ColumnType t, JsonGenerator g, SerializerProvider p) throws IOException {
        writeType(t, g);
      }
    });
    m.addDeserializer(Field.class, new JsonDeserializer<>() {
      @Override
      public Field deserialize(JsonParser p, DeserializationContext c) throws IOException {
        return field(p.readValueAsTree());
      }
    });
    m.addDeserializer(ColumnType.class, new JsonDeserializer<>() {
      @Override
      public ColumnType deserialize(JsonParser p, DeserializationContext c) throws IOException {
        return type(p.readValueAsTree());
      }
    });
    return m;
  }

  private static void writeField(Field f, JsonGenerator g) throws IOException {
    g.writeStartObject();
    g.writeStringField("name", f.name());
    g.writeFieldName("type");
    writeType(f.columnType(), g);
    g.writeBooleanField("nullable", f.nullable());
    g.writeStringField("comment", f.comment());
    g.writeEndObject();
  }

  private static void writeType(ColumnType t, JsonGenerator g) throws IOException {
    if (t instanceof ColumnType.Simple) {
      g.writeString(t.kind().name());
      return;
    }
    g.writeStartObject();
    g.writeStringField("kind", t.kind().name());
    if (t instanceof ColumnType.Decimal d) {
      g.writeNumberField("precision", d.precision());
      g.writeNumberField("scale", d.scale());
    } else if (t instanceof ColumnType.Struct s) {
      g.writeArrayFieldStart("fields");
      for (Field f : s.fields()) {
        writeField(f, g);
      }
      g.writeEndArray();
    } else if (t instanceof ColumnType.ArrayOf a) {
      g.writeFieldName("element");
      writeType(a.element(), g);
      g.writeBooleanField("containsNull", a.containsNull());
    } else if (t instanceof ColumnType.MapOf m) {
      g.writeFieldName("key");
      writeType(m.key(), g);
      g.writeFieldName("value");
      writeType(m.value(), g);
      g.writeBooleanField("valueContainsNull", m.valueContainsNull());
    }
    g.writeEndObject();
  }

  private static Field field(JsonNode n) {
    JsonNode nullable = n.get("nullable");
    JsonNode comment = n.get("comment");
    return new Field(n.path("name").asText(null), type(n.get("type")), nullable == null || nullable.asBoolean(true),
        comment == null || comment.isNull() ? "" : comment.asText());
  }

  private static ColumnType type(JsonNode n) {
    if (n == null || n.isNull()) {
      throw Errors.fieldWithoutTypeJson();
    }
    if (n.isTextual()) {
      return ColumnType.of(DataType.valueOf(n.asText()));
    }
    DataType kind = DataType.valueOf(n.path("kind").asText());
    switch (kind) {
      case DECIMAL:
        return ColumnType.decimal(n.path("precision").asInt(), n.path("scale").asInt());
      case STRUCT: {
        List<Field> fields = new ArrayList<>();
        n.path("fields").forEach(f -> fields.add(field(f)));
        return new ColumnType.Struct(fields);
      }
      case ARRAY:
        return new ColumnType.ArrayOf(type(n.get("element")), n.path("containsNull").asBoolean(true));
      case MAP:
        return new ColumnType.MapOf(type(n.get("key")), type(n.get("value")),
            n.path("valueContainsNull").asBoolean(true));
      default:
        return ColumnType.of(kind);
    }
  }
}
