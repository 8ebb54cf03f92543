package dev.mlops.monitor.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.FileStore;
import dev.mlops.core.internal.FileStores;
import dev.mlops.core.internal.Json;
import dev.mlops.monitor.MonitorDefinition;
import dev.mlops.monitor.RefreshInfo;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.zip.CRC32;

/**
 * A monitor's files under {@code <workspace>/monitors/<table>/}: {@code monitor.json} (the
 * definition), {@code state.json} (what the last successful refresh processed), {@code refreshes.json}
 * (history), {@code baseline-*.profile} (the baseline's profiles, computed once per baseline version),
 * {@code refresh.lock}, {@code history.lock}, {@code reports/refresh-<id>.html}. Every file is replaced
 * atomically. The files live in the workspace's {@link FileStore}: on local disk as before, or on the
 * workspace's Hadoop filesystem ({@code hdfs://}; the locks are then lock files, see
 * {@link dev.mlops.core.internal.HadoopFileStore}).
 */
public final class MonitorStore {
  private static final int STATE_FORMAT = 1;
  private static final byte[] PROFILE_MAGIC = "MLOPSPRF1".getBytes(StandardCharsets.US_ASCII);

  private final String table;
  /** The workspace's {@code monitors/} folder; this monitor's files are under {@code <table>/}. */
  private final FileStore monitors;

  public MonitorStore(Workspace ws, String table) {
    this.table = table;
    this.monitors = FileStores.dir(ws, "monitors");
  }

  public String table() {
    return table;
  }

  /** The path of a file of this monitor, relative to the {@code monitors/} folder. */
  private String rel(String file) {
    return FileStore.join(table, file);
  }

  /** The URI (or local path) of a file of this monitor, for messages. */
  public String where(String file) {
    return monitors.uri(rel(file));
  }

  /** Tables with a monitor. */
  public static List<String> list(Workspace ws) {
    FileStore root = FileStores.dir(ws, "monitors");
    List<String> out = new ArrayList<>();
    for (String t : root.list("")) {
      if (root.exists(FileStore.join(t, "monitor.json"))) {
        out.add(t);
      }
    }
    return out;
  }

  private String text(String file) {
    return monitors.read(rel(file)).map(b -> new String(b, StandardCharsets.UTF_8)).orElse(null);
  }

  public Optional<MonitorDefinition> readDefinition() {
    String json = text("monitor.json");
    return json == null ? Optional.empty() : Optional.of(DefinitionJson.read(json, where("monitor.json")));
  }

  /** Saves a new definition unless one exists. */
  public boolean createDefinition(MonitorDefinition d) {
    monitors.mkdirs(table);
    return monitors.createIfAbsent(rel("monitor.json"), DefinitionJson.write(d).getBytes(StandardCharsets.UTF_8));
  }

  public void writeDefinition(MonitorDefinition d) {
    monitors.mkdirs(table);
    monitors.write(rel("monitor.json"), DefinitionJson.write(d).getBytes(StandardCharsets.UTF_8));
  }

  public boolean delete() {
    if (!monitors.exists(rel("monitor.json"))) {
      return false;
    }
    monitors.deleteTree(table);
    return true;
  }

  /**
   * Writes an HTML report of a refresh to {@code <table>/reports/refresh-<id>.html}, whole or not at all.
   *
   * @return where it was written: the local path's URI on local disk, the store's URI otherwise
   */
  public java.net.URI writeReport(long refreshId, byte[] html) {
    String f = rel(FileStore.join("reports", "refresh-" + refreshId + ".html"));
    monitors.mkdirs(FileStore.parent(f));
    monitors.write(f, html);
    return monitors.localPath(f).map(java.nio.file.Path::toUri).orElseGet(() -> java.net.URI.create(monitors.uri(f)));
  }

  /** What the last successful refresh processed. */
  public record State(long processedVersion, long monitorVersion, long baselineVersion, Instant processedAt) {}

  public Optional<State> readState() {
    String json = text("state.json");
    if (json == null) {
      return Optional.empty();
    }
    JsonNode o = Json.tree(json);
    if (o.path("format_version").asInt() != STATE_FORMAT) {
      throw Errors.monitorStateUnknownFormat(where("state.json"));
    }
    return Optional.of(new State(o.get("processed_version").asLong(), o.get("monitor_version").asLong(),
        o.get("baseline_version").asLong(), Instant.parse(o.get("processed_at").asText())));
  }

  public void writeState(State s) {
    ObjectNode o = Json.object();
    o.put("format_version", STATE_FORMAT);
    o.put("processed_version", s.processedVersion());
    o.put("monitor_version", s.monitorVersion());
    o.put("baseline_version", s.baselineVersion());
    o.put("processed_at", s.processedAt().toString());
    monitors.write(rel("state.json"), (Json.write(o) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  // ---- refresh history ----

  public List<RefreshInfo> readRefreshes() {
    List<RefreshInfo> out = new ArrayList<>();
    String json = text("refreshes.json");
    if (json == null) {
      return out;
    }
    for (JsonNode r : Json.tree(json).path("refreshes")) {
      out.add(new RefreshInfo(r.get("id").asLong(), RefreshInfo.State.valueOf(r.get("state").asText()),
          RefreshInfo.Trigger.valueOf(r.get("trigger").asText()), Instant.parse(r.get("start_time").asText()),
          r.hasNonNull("end_time") ? Optional.of(Instant.parse(r.get("end_time").asText())) : Optional.empty(),
          r.path("table_version").asLong(-1), r.path("windows_written").asInt(0), r.path("message").asText("")));
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
    monitors.mkdirs(table);
    monitors.write(rel("refreshes.json"), (Json.write(o) + "\n").getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Runs body under the short lock for read-modify-write of the history (PENDING entries are added
   * outside the refresh lock).
   */
  public <T> T withHistoryLock(Supplier<T> body) {
    return withLock("history.lock", body);
  }

  /** Runs body under the lock one refresh holds from start to end (threads and processes). */
  public <T> T withRefreshLock(Supplier<T> body) {
    return withLock("refresh.lock", body);
  }

  private <T> T withLock(String name, Supplier<T> body) {
    monitors.mkdirs(table);
    return monitors.withLock(rel(name), body);
  }

  // ---- stored baseline profiles ----

  private String baselineFile(long baselineVersion, long monitorVersion) {
    return rel("baseline-v" + baselineVersion + "-m" + monitorVersion + ".profile");
  }

  /** The stored baseline profiles of this baseline and monitor version, if computed before. */
  public Optional<Map<String, Map<String, ColumnProfile>>> readBaseline(long baselineVersion, long monitorVersion) {
    Optional<byte[]> read;
    try {
      read = monitors.read(baselineFile(baselineVersion, monitorVersion));
    } catch (MlopsException e) {
      return Optional.empty(); // unreadable: recompute rather than fail the refresh
    }
    if (read.isEmpty()) {
      return Optional.empty();
    }
    try {
      byte[] all = read.get();
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
      monitors.mkdirs(table);
      monitors.write(baselineFile(baselineVersion, monitorVersion), bytes.toByteArray());
    } catch (IOException e) {
      throw Errors.writeBaselineProfile(table, e);
    }
  }
}
