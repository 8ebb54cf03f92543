package dev.mlops.models.internal;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.internal.FileStore;
import dev.mlops.core.internal.Json;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The format versions of the registry's and the runs' JSON files, and the one way they are read and
 * written. Every file carries {@code "formatVersion"}; a file without it was written by 0.1.0 and is
 * version 1; a file with a newer version than this release reads is refused with
 * {@link dev.mlops.models.UnsupportedFormatException} naming the file (nothing is changed).
 *
 * <table>
 *   <caption>Formats</caption>
 *   <tr><th>file</th><th>version</th><th>shape</th></tr>
 *   <tr><td>registry model.json, versions/n/version.json; run meta.json; experiment meta.json</td><td>1</td>
 *       <td>the record's fields plus formatVersion (version 1 without it: same fields)</td></tr>
 *   <tr><td>registry aliases.json</td><td>2</td><td>{"formatVersion": 2, "aliases": {alias: version}}
 *       (version 1: the bare map)</td></tr>
 *   <tr><td>run tags.json</td><td>2</td><td>{"formatVersion": 2, "tags": {key: value}} (version 1: the bare map)</td></tr>
 * </table>
 */
public final class Formats {
  private Formats() {}

  /** model.json, version.json, run and experiment meta.json. */
  public static final int RECORD = 1;
  /** aliases.json and tags.json: a map wrapped in an object. */
  public static final int MAP = 2;

  private static final String KEY = "formatVersion";

  /** The JSON of a record with its format version first. */
  public static String write(Object record) {
    ObjectNode o = Json.object();
    o.put(KEY, RECORD);
    JsonNode fields = Json.MAPPER.valueToTree(record);
    for (Map.Entry<String, JsonNode> e : fields.properties()) {
      if (!e.getKey().equals(KEY)) {
        o.set(e.getKey(), e.getValue());
      }
    }
    return Json.write(o);
  }

  /** Writes a record's JSON atomically. */
  public static void writeFile(Path path, Object record) {
    AtomicFiles.write(path, bytes(write(record)));
  }

  /** The bytes of JSON text. */
  public static byte[] bytes(String json) {
    return json.getBytes(StandardCharsets.UTF_8);
  }

  /**
   * Reads a record file, or empty when it does not exist.
   *
   * @throws dev.mlops.models.UnsupportedFormatException when it is of a newer format
   */
  public static <T> Optional<T> read(Path path, Class<T> type) {
    return tree(path).map(n -> {
      check(path, n, RECORD);
      try {
        return Json.MAPPER.treeToValue(n, type);
      } catch (IOException e) {
        throw Errors.unreadableJson(path, e);
      }
    });
  }

  /** Writes a map as {"formatVersion": 2, field: map}, atomically. */
  public static void writeMap(Path path, String field, Map<String, ?> map) {
    ObjectNode o = Json.object();
    o.put(KEY, MAP);
    o.set(field, Json.MAPPER.valueToTree(new TreeMap<>(map)));
    AtomicFiles.write(path, bytes(Json.write(o)));
  }

  /**
   * Reads a map written by {@link #writeMap} or, without a format version, the bare map of 0.1.0;
   * empty when the file does not exist.
   *
   * @throws dev.mlops.models.UnsupportedFormatException when it is of a newer format
   */
  public static <V> Optional<Map<String, V>> readMap(Path path, String field, TypeReference<Map<String, V>> type) {
    return tree(path).map(n -> mapOf(path.toString(), path, n, field, type));
  }

  private static Optional<JsonNode> tree(Path path) {
    try {
      return Optional.of(Json.tree(new String(Files.readAllBytes(path), StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException | RuntimeException e) {
      throw Errors.unreadableJson(path, e);
    }
  }

  private static Optional<JsonNode> tree(FileStore store, String rel) {
    Optional<byte[]> bytes = store.read(rel);
    if (bytes.isEmpty()) {
      return Optional.empty();
    }
    try {
      return Optional.of(Json.tree(new String(bytes.get(), StandardCharsets.UTF_8)));
    } catch (RuntimeException e) {
      throw Errors.unreadableJson(store.uri(rel), e);
    }
  }

  /** The path an exception reports for a file of a store: local path, or the relative path on remote stores. */
  private static Path fileOf(FileStore store, String rel) {
    return store.localPath(rel).orElse(Path.of(rel));
  }

  /**
   * Reads a record file of a store, or empty when it does not exist.
   *
   * @throws dev.mlops.models.UnsupportedFormatException when it is of a newer format
   */
  public static <T> Optional<T> read(FileStore store, String rel, Class<T> type) {
    String where = store.uri(rel);
    return tree(store, rel).map(n -> {
      check(where, fileOf(store, rel), n, RECORD);
      try {
        return Json.MAPPER.treeToValue(n, type);
      } catch (IOException e) {
        throw Errors.unreadableJson(where, e);
      }
    });
  }

  /** Writes a record's JSON to a store, atomically. */
  public static void writeFile(FileStore store, String rel, Object record) {
    store.write(rel, bytes(write(record)));
  }

  /** Writes a map as {"formatVersion": 2, field: map} to a store, atomically. */
  public static void writeMap(FileStore store, String rel, String field, Map<String, ?> map) {
    ObjectNode o = Json.object();
    o.put(KEY, MAP);
    o.set(field, Json.MAPPER.valueToTree(new TreeMap<>(map)));
    store.write(rel, bytes(Json.write(o)));
  }

  /**
   * Reads a map of a store written by {@link #writeMap(FileStore, String, String, Map)} (or the bare map
   * of 0.1.0); empty when the file does not exist.
   *
   * @throws dev.mlops.models.UnsupportedFormatException when it is of a newer format
   */
  public static <V> Optional<Map<String, V>> readMap(FileStore store, String rel, String field,
      TypeReference<Map<String, V>> type) {
    String where = store.uri(rel);
    return tree(store, rel).map(n -> mapOf(where, fileOf(store, rel), n, field, type));
  }

  private static <V> Map<String, V> mapOf(String where, Path file, JsonNode n, String field,
      TypeReference<Map<String, V>> type) {
    int v = check(where, file, n, MAP);
    JsonNode m = v == 1 ? n : n.path(field);
    if (!m.isObject()) {
      throw Errors.fieldNotJsonObject(where, field);
    }
    return Json.MAPPER.convertValue(m, type);
  }

  private static int check(Path path, JsonNode n, int supported) {
    return check(path.toString(), path, n, supported);
  }

  /** The file's format version (1 when it has none), refusing one newer than supported. */
  private static int check(String path, Path file, JsonNode n, int supported) {
    if (!n.isObject()) {
      throw Errors.notJsonObject(path);
    }
    JsonNode fv = n.get(KEY);
    if (fv == null || (supported == MAP && fv.isTextual())) {
      return 1; // 0.1.0 wrote none; in its bare tag maps a text value is a tag that happens to be named so
    }
    if (!fv.isInt() || fv.asInt() < 1) {
      throw Errors.badFormatVersion(path, fv);
    }
    if (fv.asInt() > supported) {
      throw Errors.newerFormat(file, fv.asInt(), supported, path);
    }
    return fv.asInt();
  }
}
