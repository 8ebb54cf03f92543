package dev.mlops.monitor.internal.alert;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.FileStore;
import dev.mlops.core.internal.FileStores;
import dev.mlops.core.internal.Json;
import dev.mlops.monitor.AlertDefinition;
import dev.mlops.monitor.AlertStatus;
import dev.mlops.monitor.internal.Errors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The alert files of a workspace: {@code alerts/<name>/alert.json} (definition), {@code state.json}
 * (current status), {@code history.json} (state changes, newest last, at most {@link #HISTORY_MAX}),
 * {@code alert.lock} (one evaluation at a time across threads and processes), and the outbox
 * {@code alerts/.outbox/<delivery id>.json}. Every file is replaced atomically. The files live in the
 * workspace's {@link FileStore}: on local disk, or on its Hadoop filesystem ({@code hdfs://}).
 */
public final class AlertStore {
  public static final int STATE_FORMAT = 1;
  public static final int HISTORY_MAX = 500;
  static final String OUTBOX = ".outbox";
  private static final TypeReference<List<AlertStatus>> HISTORY = new TypeReference<>() {};

  private final FileStore files;

  public AlertStore(Workspace ws) {
    this.files = FileStores.dir(ws, "alerts");
  }

  /** The store of the {@code alerts/} folder. */
  FileStore files() {
    return files;
  }

  private static String rel(String name, String file) {
    return FileStore.join(name, file);
  }

  public List<String> list() {
    List<String> out = new ArrayList<>();
    for (String n : files.list("")) { // ".outbox" starts with '.' and is not listed
      if (files.exists(rel(n, "alert.json"))) {
        out.add(n);
      }
    }
    return out;
  }

  private Optional<String> text(String rel) {
    return files.read(rel).map(b -> new String(b, StandardCharsets.UTF_8));
  }

  public Optional<AlertDefinition> read(String name) {
    return text(rel(name, "alert.json")).map(AlertJson::read);
  }

  /** Saves a definition; {@code create} refuses to replace an existing one. */
  public boolean write(AlertDefinition d, boolean create) {
    byte[] bytes = AlertJson.write(d).getBytes(StandardCharsets.UTF_8);
    String p = rel(d.name(), "alert.json");
    files.mkdirs(d.name());
    if (create) {
      return files.createIfAbsent(p, bytes);
    }
    files.write(p, bytes);
    return true;
  }

  public boolean delete(String name) {
    if (!files.exists(rel(name, "alert.json"))) {
      return false;
    }
    withLock(name, () -> files.delete(rel(name, "alert.json")));
    files.deleteTreeQuietly(name);
    return true;
  }

  public AlertStatus status(String name) {
    String p = rel(name, "state.json");
    Optional<String> json = text(p);
    if (json.isEmpty()) {
      return AlertStatus.unknown(name);
    }
    try {
      JsonNode n = Json.MAPPER.readTree(json.get());
      int fv = n.path("format_version").asInt(-1);
      if (fv != STATE_FORMAT) {
        throw Errors.alertStateFormatVersion(files.uri(p), fv, STATE_FORMAT);
      }
      return Json.MAPPER.treeToValue(n.get("status"), AlertStatus.class);
    } catch (IOException e) {
      throw Errors.cannotReadAlertFile(files.uri(p), e.getMessage(), e);
    }
  }

  public void writeStatus(AlertStatus s, boolean changed) {
    ObjectNode n = Json.object();
    n.put("format_version", STATE_FORMAT);
    n.set("status", Json.MAPPER.valueToTree(s));
    files.mkdirs(s.alert());
    if (changed) {
      List<AlertStatus> h = new ArrayList<>(history(s.alert()));
      h.add(s);
      if (h.size() > HISTORY_MAX) {
        h = new ArrayList<>(h.subList(h.size() - HISTORY_MAX, h.size()));
      }
      ObjectNode hn = Json.object();
      hn.put("format_version", STATE_FORMAT);
      hn.set("history", Json.MAPPER.valueToTree(h));
      files.write(rel(s.alert(), "history.json"), Json.write(hn).getBytes(StandardCharsets.UTF_8));
    }
    files.write(rel(s.alert(), "state.json"), Json.write(n).getBytes(StandardCharsets.UTF_8));
  }

  public List<AlertStatus> history(String name) {
    String p = rel(name, "history.json");
    Optional<String> json = text(p);
    if (json.isEmpty()) {
      return List.of();
    }
    try {
      JsonNode n = Json.MAPPER.readTree(json.get());
      return List.copyOf(Json.MAPPER.convertValue(n.get("history"), HISTORY));
    } catch (IOException e) {
      throw Errors.cannotReadAlertFile(files.uri(p), e.getMessage(), e);
    }
  }

  /** Runs body under the lock of one alert's evaluation (threads and processes). */
  public <T> T withLock(String name, Supplier<T> body) {
    files.mkdirs(name);
    return files.withLock(rel(name, "alert.lock"), body);
  }

  /** Runs body under the lock of the outbox's deliveries. */
  public <T> T withOutboxLock(Supplier<T> body) {
    return files.withLock("outbox.lock", body);
  }
}
