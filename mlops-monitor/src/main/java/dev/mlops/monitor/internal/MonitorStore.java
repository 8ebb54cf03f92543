package dev.mlops.monitor.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.StorageException;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.internal.FileTrees;
import dev.mlops.core.internal.Json;
import dev.mlops.monitor.MonitorDefinition;
import dev.mlops.monitor.MonitorException;
import dev.mlops.monitor.RefreshInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * A monitor's files under {@code <workspace>/monitors/<table>/}: {@code monitor.json} (the
 * definition), {@code state.json} (what the last successful refresh processed), {@code refreshes.json}
 * (history), {@code baseline-*.profile} (the baseline's profiles, computed once per baseline version),
 * {@code refresh.lock}. Every file is replaced atomically.
 */
public final class MonitorStore {
  private static final int STATE_FORMAT = 1;
  private static final byte[] PROFILE_MAGIC = "MLOPSPRF1".getBytes(StandardCharsets.US_ASCII);

  private final Workspace ws;
  private final String table;
  private final Path dir;

  public MonitorStore(Workspace ws, String table) {
    this.ws = ws;
    this.table = table;
    this.dir = ws.localDir("monitors").resolve(table);
  }

  public String table() {
    return table;
  }

  public Path dir() {
    return dir;
  }

  /** Tables with a monitor. */
  public static List<String> list(Workspace ws) {
    Path root = ws.localDir("monitors");
    List<String> out = new ArrayList<>();
    try (var s = Files.list(root)) {
      s.filter(p -> Files.exists(p.resolve("monitor.json"))).map(p -> p.getFileName().toString()).sorted()
          .forEach(out::add);
    } catch (IOException e) {
      throw Errors.cannotListAlerts(root, e);
    }
    return out;
  }

  private void mkdirs() {
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw Errors.cannotCreateMonitorDir(dir, e);
    }
  }

  public Optional<MonitorDefinition> readDefinition() {
    Path f = dir.resolve("monitor.json");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(DefinitionJson.read(Files.readString(f), f.toString()));
    } catch (IOException e) {
      throw Errors.cannotReadMonitorFile(f, e);
    }
  }

  /** Saves a new definition unless one exists. */
  public boolean createDefinition(MonitorDefinition d) {
    mkdirs();
    return AtomicFiles.createIfAbsent(dir.resolve("monitor.json"), DefinitionJson.write(d).getBytes(StandardCharsets.UTF_8));
  }

  public void writeDefinition(MonitorDefinition d) {
    mkdirs();
    AtomicFiles.write(dir.resolve("monitor.json"), DefinitionJson.write(d).getBytes(StandardCharsets.UTF_8));
  }

  public boolean delete() {
    if (!Files.exists(dir.resolve("monitor.json"))) {
      return false;
    }
    FileTrees.delete(dir);
    return true;
  }

  /** What the last successful refresh processed. */
  public record State(long processedVersion, long monitorVersion, long baselineVersion, Instant processedAt) {}

  public Optional<State> readState() {
    Path f = dir.resolve("state.json");
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      JsonNode o = Json.tree(Files.readString(f));
      if (o.path("format_version").asInt() != STATE_FORMAT) {
        throw Errors.monitorStateUnknownFormat(f);
      }
      return Optional.of(new State(o.get("processed_version").asLong(), o.get("monitor_version").asLong(),
          o.get("baseline_version").asLong(), Instant.parse(o.get("processed_at").asText())));
    } catch (IOException e) {
      throw Errors.cannotReadMonitorFile(f, e);
    }
  }

  public void writeState(State s) {
    ObjectNode o = Json.object();
    o.put("format_version", STATE_FORMAT);
    o.put("processed_version", s.processedVersion());
    o.put("monitor_version", s.monitorVersion());
    o.put("baseline_version", s.baselineVersion());
    o.put("processed_at", s.processedAt().toString());
    AtomicFiles.write(dir.resolve("state.json"), (Json.write(o) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  // ---- refresh history ----

  public List<RefreshInfo> readRefreshes() {
    Path f = dir.resolve("refreshes.json");
    List<RefreshInfo> out = new ArrayList<>();
    if (!Files.exists(f)) {
      return out;
    }
    try {
      for (JsonNode r : Json.tree(Files.readString(f)).path("refreshes")) {
        out.add(new RefreshInfo(r.get("id").asLong(), RefreshInfo.State.valueOf(r.get("state").asText()),
            RefreshInfo.Trigger.valueOf(r.get("trigger").asText()), Instant.parse(r.get("start_time").asText()),
            r.hasNonNull("end_time") ? Optional.of(Instant.parse(r.get("end_time").asText())) : Optional.empty(),
            r.path("table_version").asLong(-1), r.path("windows_written").asInt(0), r.path("message").asText("")));
      }
    } catch (IOException e) {
      throw Errors.cannotReadMonitorFile(f, e);
    }
    return out;
  }

  /** Adds or replaces (by id) a history entry. Callers hold {@link #historyLock()}. */
  public synchronized void putRefresh(RefreshInfo info) {
    List<RefreshInfo> all = readRefreshes();
    all.removeIf(r -> r.id() == info.id());
    all.add(info);
    all.sort(java.util.Comparator.comparingLong(RefreshInfo::id));
    ObjectNode o = Json.object();
    o.put("format_version", 1);
    ArrayNode a = o.putArray("refreshes");
    for (RefreshInfo r : all) {
      ObjectNode x = a.addObject();
      x.put("id", r.id());
      x.put("state", r.state().name());
      x.put("trigger", r.trigger().name());
      x.put("start_time", r.startTime().toString());
      r.endTime().ifPresent(t -> x.put("end_time", t.toString()));
      x.put("table_version", r.tableVersion());
      x.put("windows_written", r.windowsWritten());
      x.put("message", r.message());
    }
    mkdirs();
    AtomicFiles.write(dir.resolve("refreshes.json"), (Json.write(o) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /** A short lock for read-modify-write of the history (PENDING entries are added outside the refresh lock). */
  public Lock historyLock() {
    return lock("history.lock");
  }

  /** The lock one refresh holds from start to end (threads and processes). */
  public Lock refreshLock() {
    return lock("refresh.lock");
  }

  /** A held lock; close to release. */
  public interface Lock extends AutoCloseable {
    @Override
    void close();
  }

  private Lock lock(String name) {
    mkdirs();
    return ProcessLock.acquire(dir.resolve(name))::close;
  }

  // ---- stored baseline profiles ----

  private Path baselineFile(long baselineVersion, long monitorVersion) {
    return dir.resolve("baseline-v" + baselineVersion + "-m" + monitorVersion + ".profile");
  }

  /** The stored baseline profiles of this baseline and monitor version, if computed before. */
  public Optional<Map<String, Map<String, ColumnProfile>>> readBaseline(long baselineVersion, long monitorVersion) {
    Path f = baselineFile(baselineVersion, monitorVersion);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      byte[] all = Files.readAllBytes(f);
      int body = all.length - 8;
      if (body < PROFILE_MAGIC.length || !java.util.Arrays.equals(all, 0, PROFILE_MAGIC.length, PROFILE_MAGIC, 0,
          PROFILE_MAGIC.length)) {
        return Optional.empty(); // not ours: recompute
      }
      CRC32 crc = new CRC32();
      crc.update(all, 0, body);
      long stored = new DataInputStream(new ByteArrayInputStream(all, body, 8)).readLong();
      if (stored != crc.getValue()) {
        return Optional.empty(); // damaged: recompute rather than trust it
      }
      DataInputStream in = new DataInputStream(new ByteArrayInputStream(all, PROFILE_MAGIC.length,
          body - PROFILE_MAGIC.length));
      Map<String, Map<String, ColumnProfile>> out = new LinkedHashMap<>();
      int groups = in.readInt();
      for (int g = 0; g < groups; g++) {
        String key = in.readUTF();
        int cols = in.readInt();
        Map<String, ColumnProfile> m = new LinkedHashMap<>();
        for (int c = 0; c < cols; c++) {
          ColumnProfile p = ColumnProfile.read(in);
          m.put(p.column(), p);
        }
        out.put(key, m);
      }
      return Optional.of(out);
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** Stores the baseline profiles (slice group key → column → profile), checksummed. */
  public void writeBaseline(long baselineVersion, long monitorVersion, Map<String, Map<String, ColumnProfile>> groups) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      DataOutputStream out = new DataOutputStream(bytes);
      out.write(PROFILE_MAGIC);
      out.writeInt(groups.size());
      for (Map.Entry<String, Map<String, ColumnProfile>> g : groups.entrySet()) {
        out.writeUTF(g.getKey());
        out.writeInt(g.getValue().size());
        for (ColumnProfile p : g.getValue().values()) {
          p.write(out);
        }
      }
      out.flush();
      CRC32 crc = new CRC32();
      crc.update(bytes.toByteArray());
      out.writeLong(crc.getValue());
      mkdirs();
      AtomicFiles.write(baselineFile(baselineVersion, monitorVersion), bytes.toByteArray());
    } catch (IOException e) {
      throw Errors.writeBaselineProfile(table, e);
    }
  }
}
