package dev.mlops.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.MlopsException;
import dev.mlops.core.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/** Human-readable JSON for metadata files, written atomically. Records (de)serialize directly. */
public final class Json {
  private Json() {}

  /** The shared mapper: pretty output, sorted map keys, unknown properties ignored (forward compatible). */
  public static final ObjectMapper MAPPER = new ObjectMapper()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .findAndRegisterModules()
      .registerModule(TypeJson.module()); // Field/ColumnType as before ColumnType existed ("type": "LONG")

  /** Text of a value. */
  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new MlopsException("Cannot write " + value.getClass().getSimpleName() + " as JSON: " + e.getMessage(), e);
    }
  }

  /** Value from text. */
  public static <T> T read(String text, Class<T> type) {
    try {
      return MAPPER.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw new MlopsException("Cannot read " + type.getSimpleName() + " from JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** Tree from text. */
  public static JsonNode tree(String text) {
    try {
      return MAPPER.readTree(text);
    } catch (JsonProcessingException e) {
      throw new MlopsException("Malformed JSON: " + e.getOriginalMessage(), e);
    }
  }

  /** An empty object node. */
  public static ObjectNode object() {
    return MAPPER.createObjectNode();
  }

  /** Writes value as JSON to path atomically (temp file + atomic move). */
  public static void writeFile(Path path, Object value) {
    AtomicFiles.write(path, write(value).getBytes(StandardCharsets.UTF_8));
  }

  /** Reads a JSON file, or empty when it does not exist. */
  public static <T> Optional<T> readFile(Path path, Class<T> type) {
    try {
      return Optional.of(MAPPER.readValue(Files.readAllBytes(path), type));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw new StorageException("Cannot read JSON file " + path + ": " + e.getMessage(), e);
    }
  }
}
