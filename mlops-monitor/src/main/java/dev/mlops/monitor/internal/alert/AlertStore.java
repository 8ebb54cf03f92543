package dev.mlops.monitor.internal.alert;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.MlopsException;
import dev.mlops.core.StorageException;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.internal.FileTrees;
import dev.mlops.core.internal.Json;
import dev.mlops.monitor.AlertDefinition;
import dev.mlops.monitor.AlertStatus;
import dev.mlops.monitor.internal.Errors;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The alert files of a workspace: {@code alerts/<name>/alert.json} (definition), {@code state.json}
 * (current status), {@code history.json} (state changes, newest last, at most {@link #HISTORY_MAX}),
 * {@code alert.lock} (one evaluation at a time across threads and processes), and the outbox
 * {@code alerts/.outbox/<delivery id>.json}. Every file is replaced atomically.
 */
public final class AlertStore {
  public static final int STATE_FORMAT = 1;
  public static final int HISTORY_MAX = 500;
  private static final TypeReference<List<AlertStatus>> HISTORY = new TypeReference<>() {};

  private final Path root;

  public AlertStore(Workspace ws) {
    this.root = ws.localDir("alerts");
  }

  public Path root() {
    return root;
  }

  public Path outbox() {
    return root.resolve(".outbox");
  }

  Path dir(String name) {
    return root.resolve(name);
  }

  public List<String> list() {
    List<String> out = new ArrayList<>();
    try (var s = Files.list(root)) {
      s.filter(p -> Files.exists(p.resolve("alert.json"))).map(p -> p.getFileName().toString()).sorted()
          .forEach(out::add);
    } catch (IOException e) {
      throw Errors.cannotListAlerts(root, e);
    }
    return out;
  }

  public Optional<AlertDefinition> read(String name) {
    Path p = dir(name).resolve("alert.json");
    try {
      return Optional.of(AlertJson.read(Files.readString(p, StandardCharsets.UTF_8)));
    } catch (NoSuchFileException e) {
      return Optional.empty();
    } catch (IOException e) {
      throw Errors.cannotReadAlertFile(p, e.getMessage(), e);
    }
  }

  /** Saves a definition; {@code create} refuses to replace an existing one. */
  public boolean write(AlertDefinition d, boolean create) {
    byte[] bytes = AlertJson.write(d).getBytes(StandardCharsets.UTF_8);
    Path p = dir(d.name()).resolve("alert.json");
    if (create) {
      return AtomicFiles.createIfAbsent(p, bytes);
    }
    AtomicFiles.write(p, bytes);
    return true;
  }

  public boolean delete(String name) {
    Path d = dir(name);
    if (!Files.exists(d.resolve("alert.json"))) {
      return false;
    }
    try (Lock l = lock(name)) {
      AtomicFiles.deleteQuietly(d.resolve("alert.json"));
    }
    FileTrees.deleteQuietly(d);
    return true;
  }

  public AlertStatus status(String name) {
    Path p = dir(name).resolve("state.json");
    try {
      JsonNode n = Json.MAPPER.readTree(Files.readString(p, StandardCharsets.UTF_8));
      int fv = n.path("format_version").asInt(-1);
      if (fv != STATE_FORMAT) {
        throw Errors.alertStateFormatVersion(p, fv, STATE_FORMAT);
      }
      return Json.MAPPER.treeToValue(n.get("status"), AlertStatus.class);
    } catch (NoSuchFileException e) {
      return AlertStatus.unknown(name);
    } catch (IOException e) {
      throw Errors.cannotReadAlertFile(p, e.getMessage(), e);
    }
  }

  public void writeStatus(AlertStatus s, boolean changed) {
    ObjectNode n = Json.object();
    n.put("format_version", STATE_FORMAT);
    n.set("status", Json.MAPPER.valueToTree(s));
    if (changed) {
      List<AlertStatus> h = new ArrayList<>(history(s.alert()));
      h.add(s);
      if (h.size() > HISTORY_MAX) {
        h = new ArrayList<>(h.subList(h.size() - HISTORY_MAX, h.size()));
      }
      ObjectNode hn = Json.object();
      hn.put("format_version", STATE_FORMAT);
      hn.set("history", Json.MAPPER.valueToTree(h));
      Json.writeFile(dir(s.alert()).resolve("history.json"), hn);
    }
    Json.writeFile(dir(s.alert()).resolve("state.json"), n);
  }

  public List<AlertStatus> history(String name) {
    Path p = dir(name).resolve("history.json");
    try {
      JsonNode n = Json.MAPPER.readTree(Files.readString(p, StandardCharsets.UTF_8));
      return List.copyOf(Json.MAPPER.convertValue(n.get("history"), HISTORY));
    } catch (NoSuchFileException e) {
      return List.of();
    } catch (IOException e) {
      throw Errors.cannotReadAlertFile(p, e.getMessage(), e);
    }
  }

  /** A held lock; close to release. */
  public interface Lock extends AutoCloseable {
    @Override
    void close();
  }

  /** The lock of one alert's evaluation (threads and processes). */
  public Lock lock(String name) {
    return lock(dir(name).resolve("alert.lock"));
  }

  /** The lock of the outbox's deliveries. */
  public Lock outboxLock() {
    return lock(root.resolve("outbox.lock"));
  }

  private static Lock lock(Path p) {
    return dev.mlops.monitor.internal.ProcessLock.acquire(p)::close;
  }
}
