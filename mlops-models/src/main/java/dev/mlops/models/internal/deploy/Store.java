package dev.mlops.models.internal.deploy;

import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.TableName;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.FileStore;
import dev.mlops.core.internal.FileStores;
import dev.mlops.core.internal.Json;
import dev.mlops.features.FeatureSpec;
import dev.mlops.models.EvaluationData;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.Files2;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Where deployment jobs live, inside the registry directory of their model:
 * <pre>
 * registry/&lt;catalog&gt;/&lt;schema&gt;/&lt;model&gt;/
 *   deployment/job.json          the job (format version, tasks)
 *   deployment/state.json        cursor over version numbers + runs not final yet
 *   deployment/history.jsonl     one line per alias move (deployment or rollback)
 *   deployment/data/&lt;sha256&gt;.*   evaluation rows given in memory (CSV + schema), by content hash
 *   deployment/.lock             the deployment lock of the model
 *   versions/&lt;n&gt;/deployment.json  the run of version n: state, tasks, audit log
 * </pre>
 * Every JSON file is replaced atomically; every change is made under the deployment lock. The
 * registry's own lock is taken inside it (never the other way round). The files are in the workspace's
 * {@link FileStore}, like the registry's: on local disk (the lock is an OS file lock + an in-JVM lock)
 * or on the workspace's Hadoop filesystem ({@code hdfs://}; the lock is a lock file created if absent).
 */
public final class Store {
  private final FileStore root;

  /** The deployment files of a workspace's registry. */
  public Store(Workspace ws) {
    this.root = FileStores.dir(ws, "registry");
  }

  static String modelDir(TableName n) {
    return FileStore.join(n.catalog(), n.schema(), n.name());
  }

  static String deployDir(TableName n) {
    return FileStore.join(modelDir(n), "deployment");
  }

  static String jobFile(TableName n) {
    return FileStore.join(deployDir(n), "job.json");
  }

  static String runFile(TableName n, int version) {
    return FileStore.join(modelDir(n), "versions", Integer.toString(version), "deployment.json");
  }

  /** The URI (or local path) of a file, for messages. */
  String where(String rel) {
    return root.uri(rel);
  }

  int maxVersion(TableName n) {
    int max = 0;
    for (String s : root.list(FileStore.join(modelDir(n), "versions"))) {
      if (s.matches("[1-9][0-9]{0,8}")) {
        max = Math.max(max, Integer.parseInt(s));
      }
    }
    return max;
  }

  /** Runs body under the model's deployment lock. */
  <T> T locked(TableName n, Supplier<T> body) {
    root.mkdirs(deployDir(n));
    return root.withLock(FileStore.join(deployDir(n), ".lock"), body);
  }

  /** Models (catalog.schema.name) that have a job attached, or had one (their open runs still advance). */
  List<TableName> modelsWithJobs() {
    List<TableName> out = new ArrayList<>();
    for (String c : root.list("")) {
      for (String s : root.list(c)) {
        for (String m : root.list(FileStore.join(c, s))) {
          String d = FileStore.join(c, s, m, "deployment");
          if (root.exists(FileStore.join(d, "job.json")) || root.exists(FileStore.join(d, "state.json"))) {
            out.add(TableName.parse(c + "." + s + "." + m));
          }
        }
      }
    }
    return out;
  }

  /** Deletes the model's job file; true when there was one. */
  boolean deleteJob(TableName n) {
    return root.delete(jobFile(n));
  }

  private <T> Optional<T> readFile(String rel, Class<T> type) {
    return root.read(rel).map(b -> {
      try {
        return Json.MAPPER.readValue(b, type);
      } catch (IOException e) {
        throw Errors.unreadableJson(where(rel), e);
      }
    });
  }

  private void writeFile(String rel, Object value) {
    root.mkdirs(FileStore.parent(rel));
    root.write(rel, Json.write(value).getBytes(StandardCharsets.UTF_8));
  }

  Optional<Docs.JobDoc> readJob(TableName n) {
    return readFile(jobFile(n), Docs.JobDoc.class).map(j -> checkFormat(j.formatVersion, jobFile(n), j));
  }

  void writeJob(TableName n, Docs.JobDoc j) {
    writeFile(jobFile(n), j);
  }

  Docs.StateDoc readState(TableName n) {
    String f = FileStore.join(deployDir(n), "state.json");
    return readFile(f, Docs.StateDoc.class).map(s -> checkFormat(s.formatVersion, f, s))
        .orElseGet(Docs.StateDoc::new);
  }

  void writeState(TableName n, Docs.StateDoc s) {
    writeFile(FileStore.join(deployDir(n), "state.json"), s);
  }

  Optional<Docs.RunDoc> readRun(TableName n, int version) {
    String f = runFile(n, version);
    return readFile(f, Docs.RunDoc.class).map(r -> checkFormat(r.formatVersion, f, r));
  }

  /** Writes a run record (atomic replace); call under the lock. */
  void writeRun(Docs.RunDoc r) {
    r.updatedAt = System.currentTimeMillis();
    writeFile(runFile(TableName.parse(r.model), r.version), r);
  }

  /** Creates a run record only if the version has none; true when this call created it. */
  boolean createRun(Docs.RunDoc r) {
    String f = runFile(TableName.parse(r.model), r.version);
    root.mkdirs(FileStore.parent(f));
    return root.createIfAbsent(f, Json.write(r).getBytes(StandardCharsets.UTF_8));
  }

  private <T> T checkFormat(int v, String f, T doc) {
    if (v > Docs.FORMAT) {
      throw Errors.newerDeploymentFormat(where(f), v, Docs.FORMAT);
    }
    return doc;
  }

  // ------------------------------------------------------------------------------------ history

  boolean historyHas(String model, String runId) {
    for (Docs.HistoryDoc h : history(TableName.parse(model))) {
      if (runId.equals(h.runId)) {
        return true;
      }
    }
    return false;
  }

  /** Appends one line to the model's history; call under the deployment lock (one appender at a time). */
  void appendHistory(String model, Docs.HistoryDoc h) {
    String line = Json.MAPPER.valueToTree(h).toString(); // a tree prints on one line
    root.append(FileStore.join(deployDir(TableName.parse(model)), "history.jsonl"),
        (line + "\n").getBytes(StandardCharsets.UTF_8));
  }

  List<Docs.HistoryDoc> history(TableName n) {
    List<Docs.HistoryDoc> out = new ArrayList<>();
    byte[] bytes = root.read(FileStore.join(deployDir(n), "history.jsonl")).orElse(new byte[0]);
    for (String l : Files2.completeLines(bytes)) {
      out.add(Json.read(l, Docs.HistoryDoc.class));
    }
    return out;
  }

  // ------------------------------------------------------------------------------------ evaluation data

  /** The stored form of evaluation data; in-memory rows are written under data/ by content hash. */
  Map<String, Object> dataSpec(TableName model, EvaluationData data) {
    Map<String, Object> m = new LinkedHashMap<>();
    if (data instanceof EvaluationData.Table t) {
      m.put("kind", "table");
      m.put("table", t.name());
      m.put("version", t.version());
    } else if (data instanceof EvaluationData.Rows r) {
      m.put("kind", "rows");
      m.put("sha256", saveFrame(model, r.frame()));
    } else if (data instanceof EvaluationData.FromTrainingSet ts) {
      m.put("kind", "training_set");
      m.put("spec", Json.MAPPER.convertValue(ts.spec(), Map.class));
      m.put("spine_sha256", saveFrame(model, ts.spine()));
    }
    return m;
  }

  /** Evaluation data from its stored form. */
  @SuppressWarnings("unchecked")
  EvaluationData data(TableName model, Map<String, Object> m) {
    String kind = String.valueOf(m.get("kind"));
    return switch (kind) {
      case "table" -> EvaluationData.table((String) m.get("table"), ((Number) m.get("version")).longValue());
      case "rows" -> EvaluationData.rows(loadFrame(model, (String) m.get("sha256")));
      case "training_set" -> new EvaluationData.FromTrainingSet(
          Json.MAPPER.convertValue(m.get("spec"), FeatureSpec.class), loadFrame(model, (String) m.get("spine_sha256")));
      default -> throw Errors.unknownEvaluationData(model, kind);
    };
  }

  /**
   * A folder for the CSV of a frame on its way in or out: the model's data folder on local disk (as
   * before), the JVM's temp folder for a remote workspace (Frame reads and writes CSV files only).
   */
  private Path scratchDir(TableName model) throws IOException {
    String dir = FileStore.join(deployDir(model), "data");
    Optional<Path> local = root.localPath(dir);
    if (local.isPresent()) {
      return Files2.mkdirs(local.get());
    }
    return Path.of(System.getProperty("java.io.tmpdir"));
  }

  private String saveFrame(TableName model, Frame f) {
    Path tmp = null;
    String dir = FileStore.join(deployDir(model), "data");
    try {
      tmp = Files.createTempFile(scratchDir(model), ".frame", ".tmp");
      f.writeCsv(tmp);
      byte[] csv = Files.readAllBytes(tmp);
      byte[] schema = Json.write(f.schema()).getBytes(StandardCharsets.UTF_8);
      String sha = sha256(csv, schema);
      root.mkdirs(dir);
      root.createIfAbsent(FileStore.join(dir, sha + ".schema.json"), schema);
      root.createIfAbsent(FileStore.join(dir, sha + ".csv"), csv);
      return sha;
    } catch (IOException e) {
      throw Errors.cannotStoreEvaluationRows(model, e);
    } finally {
      if (tmp != null) {
        dev.mlops.core.internal.AtomicFiles.deleteQuietly(tmp);
      }
    }
  }

  private Frame loadFrame(TableName model, String sha) {
    String dir = FileStore.join(deployDir(model), "data");
    String where = where(dir);
    Path tmp = null;
    try {
      byte[] csv = root.read(FileStore.join(dir, sha + ".csv"))
          .orElseThrow(() -> new java.nio.file.NoSuchFileException(where(FileStore.join(dir, sha + ".csv"))));
      byte[] schema = root.read(FileStore.join(dir, sha + ".schema.json"))
          .orElseThrow(() -> new java.nio.file.NoSuchFileException(where(FileStore.join(dir, sha + ".schema.json"))));
      if (!sha256(csv, schema).equals(sha)) {
        throw Errors.evaluationRowsChanged(model, where, sha);
      }
      Schema s = Json.read(new String(schema, StandardCharsets.UTF_8), Schema.class);
      Optional<Path> local = root.localPath(FileStore.join(dir, sha + ".csv"));
      if (local.isPresent()) {
        return Frame.readCsv(local.get(), s);
      }
      tmp = Files.createTempFile(scratchDir(model), ".frame", ".csv");
      Files.write(tmp, csv);
      return Frame.readCsv(tmp, s);
    } catch (IOException e) {
      throw Errors.cannotReadEvaluationRows(sha, model, where, e);
    } finally {
      if (tmp != null) {
        dev.mlops.core.internal.AtomicFiles.deleteQuietly(tmp);
      }
    }
  }

  private static String sha256(byte[] a, byte[] b) {
    try {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      d.update(a);
      d.update((byte) 0);
      d.update(b);
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
