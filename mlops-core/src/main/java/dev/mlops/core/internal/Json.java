package dev.mlops.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.datatype.jdk8.Jdk8Module;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import dev.mlops.core.MlopsException;
import dev.mlops.core.StorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Human-readable JSON for metadata files, written atomically. Records (de)serialize directly.
 *
 * <p>The SDK's files are an on-disk format, so the mapper that writes them is configured here and
 * nowhere else: exactly the Jackson modules listed below (never whatever modules the host
 * application has on its class path), and no one outside can reconfigure it — {@link #MAPPER} is a
 * read-only facade, and the readers and writers it hands out come from a private copy.
 */
public final class Json {
  private Json() {}

  /**
   * The one configured mapper: pretty output, sorted map keys, ISO-8601 instants, unknown
   * properties ignored (forward compatible), java.time and Optional support. Private: an
   * ObjectMapper is mutable (configure, registerModule), and this one defines the file format.
   */
  private static final ObjectMapper CONFIGURED = JsonMapper.builder()
      .enable(SerializationFeature.INDENT_OUTPUT)
      .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .disable(SerializationFeature.FAIL_ON_EMPTY_BEANS)
      .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
      .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
      .addModule(new JavaTimeModule())
      .addModule(new Jdk8Module())
      .addModule(TypeJson.module()) // Field/ColumnType as before ColumnType existed ("type": "LONG")
      .build();

  /** The SDK's mapper, read-only (see {@link Mapper}). */
  public static final Mapper MAPPER = new Mapper(CONFIGURED);

  /**
   * The read and convert operations of the SDK's mapper, without the ones that change it. Same
   * method names as {@link ObjectMapper}.
   */
  public static final class Mapper {
    private final ObjectMapper mapper;

    private Mapper(ObjectMapper mapper) {
      this.mapper = mapper;
    }

    /** See {@link ObjectMapper#readValue(byte[], Class)}. */
    public <T> T readValue(byte[] json, Class<T> type) throws IOException {
      return mapper.readValue(json, type);
    }

    /** See {@link ObjectMapper#readValue(byte[], TypeReference)}. */
    public <T> T readValue(byte[] json, TypeReference<T> type) throws IOException {
      return mapper.readValue(json, type);
    }

    /** See {@link ObjectMapper#readValue(String, Class)}. */
    public <T> T readValue(String json, Class<T> type) throws JsonProcessingException {
      return mapper.readValue(json, type);
    }

    /** See {@link ObjectMapper#readValue(String, TypeReference)}. */
    public <T> T readValue(String json, TypeReference<T> type) throws JsonProcessingException {
      return mapper.readValue(json, type);
    }

    /** See {@link ObjectMapper#convertValue(Object, Class)}. */
    public <T> T convertValue(Object value, Class<T> type) {
      return mapper.convertValue(value, type);
    }

    /** See {@link ObjectMapper#convertValue(Object, TypeReference)}. */
    public <T> T convertValue(Object value, TypeReference<T> type) {
      return mapper.convertValue(value, type);
    }

    /** See {@link ObjectMapper#treeToValue(com.fasterxml.jackson.core.TreeNode, Class)}. */
    public <T> T treeToValue(JsonNode node, Class<T> type) throws JsonProcessingException {
      return mapper.treeToValue(node, type);
    }

    /** See {@link ObjectMapper#valueToTree(Object)}. */
    public <T extends JsonNode> T valueToTree(Object value) {
      return mapper.valueToTree(value);
    }

    /** See {@link ObjectMapper#readTree(String)}. */
    public JsonNode readTree(String json) throws JsonProcessingException {
      return mapper.readTree(json);
    }

    /** An empty object node. */
    public ObjectNode createObjectNode() {
      return mapper.createObjectNode();
    }

    /**
     * A writer with the SDK's configuration. ObjectWriter is immutable, but its factory is not:
     * it comes from a copy of the mapper, so nothing done to it reaches the SDK's files.
     */
    public ObjectWriter writer() {
      return mapper.copy().writer();
    }

    /** A reader for one type with the SDK's configuration (from a copy, like {@link #writer()}). */
    public ObjectReader readerFor(Class<?> type) {
      return mapper.copy().readerFor(type);
    }
  }

  /** Text of a value. */
  public static String write(Object value) {
    try {
      return CONFIGURED.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw Errors.writeJson(value.getClass().getSimpleName(), e.getMessage(), e);
    }
  }

  /** Value from text. */
  public static <T> T read(String text, Class<T> type) {
    try {
      return CONFIGURED.readValue(text, type);
    } catch (JsonProcessingException e) {
      throw Errors.readJson(type.getSimpleName(), e.getOriginalMessage(), e);
    }
  }

  /** Tree from text. */
  public static JsonNode tree(String text) {
    try {
      return CONFIGURED.readTree(text);
    } catch (JsonProcessingException e) {
      throw Errors.malformedJson(e.getOriginalMessage(), e);
    }
  }

  /** An empty object node. */
  public static ObjectNode object() {
    return CONFIGURED.createObjectNode();
  }

  /** Writes value as JSON to path atomically (temp file + atomic move). */
  public static void writeFile(Path path, Object value) {
    AtomicFiles.write(path, write(value).getBytes(StandardCharsets.UTF_8));
  }

  /** Reads a JSON file, or empty when it does not exist. */
  public static <T> Optional<T> readFile(Path path, Class<T> type) {
    try {
      return Optional.of(CONFIGURED.readValue(Files.readAllBytes(path), type));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw Errors.readJsonFile(path, e.getMessage(), e);
    }
  }
}
