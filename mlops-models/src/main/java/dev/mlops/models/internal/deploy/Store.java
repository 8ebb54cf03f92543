package dev.mlops.models.internal.deploy;

import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.TableName;
import dev.mlops.core.internal.Json;
import dev.mlops.features.FeatureSpec;
import dev.mlops.models.EvaluationData;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.Files2;
import dev.mlops.models.internal.Locks;
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
 *   deployment/.lock             the deployment lock of the model (OS file lock + in-JVM lock)
 *   versions/&lt;n&gt;/deployment.json  the run of version n: state, tasks, audit log
 * </pre>
 * Every JSON file is replaced atomically; every change is made under the deployment lock. The
 * registry's own lock is taken inside it (never the other way round).
 */
public final class Store {
  private final Path root;

  public Store(Path registryRoot) {
    this.root = registryRoot;
  }

  Path modelDir(TableName n) {
    return root.resolve(n.catalog()).resolve(n.schema()).resolve(n.name());
  }

  Path deployDir(TableName n) {
    return modelDir(n).resolve("deployment");
  }

  Path jobFile(TableName n) {
    return deployDir(n).resolve("job.json");
  }

  Path runFile(TableName n, int version) {
    return modelDir(n).resolve("versions").resolve(Integer.toString(version)).resolve("deployment.json");
  }

  int maxVersion(TableName n) {
    int max = 0;
    for (String s : Files2.list(modelDir(n).resolve("versions"))) {
      if (s.matches("[1-9][0-9]{0,8}")) {
        max = Math.max(max, Integer.parseInt(s));
      }
    }
    return max;
  }

  /** Runs body under the model's deployment lock. */
  <T> T locked(TableName n, Supplier<T> body) {
    Files2.mkdirs(deployDir(n));
    return Locks.withLock(deployDir(n).resolve(".lock"), body);
  }

  /** Models (catalog.schema.name) that have a job attached, or had one (their open runs still advance). */
  List<TableName> modelsWithJobs() {
    List<TableName> out = new ArrayList<>();
    for (String c : sorted(Files2.list(root))) {
      for (String s : sorted(Files2.list(root.resolve(c)))) {
        for (String m : sorted(Files2.list(root.resolve(c).resolve(s)))) {
          Path d = root.resolve(c).resolve(s).resolve(m).resolve("deployment");
          if (Files.exists(d.resolve("job.json")) || Files.exists(d.resolve("state.json"))) {
            out.add(TableName.parse(c + "." + s + "." + m));
          }
        }
      }
    }
    return out;
  }

  private static List<String> sorted(List<String> l) {
    List<String> c = new ArrayList<>(l);
    c.sort(null);
    return c;
  }

  Optional<Docs.JobDoc> readJob(TableName n) {
    return Json.readFile(jobFile(n), Docs.JobDoc.class).map(j -> checkFormat(j.formatVersion, jobFile(n), j));
  }

  void writeJob(TableName n, Docs.JobDoc j) {
    Json.writeFile(jobFile(n), j);
  }

  Docs.StateDoc readState(TableName n) {
    Path f = deployDir(n).resolve("state.json");
    return Json.readFile(f, Docs.StateDoc.class).map(s -> checkFormat(s.formatVersion, f, s))
        .orElseGet(Docs.StateDoc::new);
  }

  void writeState(TableName n, Docs.StateDoc s) {
    Json.writeFile(deployDir(n).resolve("state.json"), s);
  }

  Optional<Docs.RunDoc> readRun(TableName n, int version) {
    Path f = runFile(n, version);
    return Json.readFile(f, Docs.RunDoc.class).map(r -> checkFormat(r.formatVersion, f, r));
  }

  /** Writes a run record (atomic replace); call under the lock. */
  void writeRun(Docs.RunDoc r) {
    r.updatedAt = System.currentTimeMillis();
    Json.writeFile(runFile(TableName.parse(r.model), r.version), r);
  }

  /** Creates a run record only if the version has none; true when this call created it. */
  boolean createRun(Docs.RunDoc r) {
    return dev.mlops.core.internal.AtomicFiles.createIfAbsent(runFile(TableName.parse(r.model), r.version),
        Json.write(r).getBytes(StandardCharsets.UTF_8));
  }

  private static <T> T checkFormat(int v, Path f, T doc) {
    if (v > Docs.FORMAT) {
      throw Errors.newerDeploymentFormat(f, v, Docs.FORMAT);
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

  void appendHistory(String model, Docs.HistoryDoc h) {
    String line = Json.MAPPER.valueToTree(h).toString(); // a tree prints on one line
    Files2.appendLine(deployDir(TableName.parse(model)).resolve("history.jsonl"), line);
  }

  List<Docs.HistoryDoc> history(TableName n) {
    List<Docs.HistoryDoc> out = new ArrayList<>();
    for (String l : Files2.completeLines(deployDir(n).resolve("history.jsonl"))) {
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

  private String saveFrame(TableName model, Frame f) {
    Path tmp = null;
    try {
      Path dir = Files2.mkdirs(deployDir(model).resolve("data"));
      tmp = Files.createTempFile(dir, ".frame", ".tmp");
      f.writeCsv(tmp);
      byte[] csv = Files.readAllBytes(tmp);
      byte[] schema = Json.write(f.schema()).getBytes(StandardCharsets.UTF_8);
      String sha = sha256(csv, schema);
      dev.mlops.core.internal.AtomicFiles.createIfAbsent(dir.resolve(sha + ".schema.json"), schema);
      dev.mlops.core.internal.AtomicFiles.createIfAbsent(dir.resolve(sha + ".csv"), csv);
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
    Path dir = deployDir(model).resolve("data");
    try {
      byte[] csv = Files.readAllBytes(dir.resolve(sha + ".csv"));
      byte[] schema = Files.readAllBytes(dir.resolve(sha + ".schema.json"));
      if (!sha256(csv, schema).equals(sha)) {
        throw Errors.evaluationRowsChanged(model, dir, sha);
      }
      return Frame.readCsv(dir.resolve(sha + ".csv"), Json.read(new String(schema, StandardCharsets.UTF_8),
          Schema.class));
    } catch (IOException e) {
      throw Errors.cannotReadEvaluationRows(sha, model, dir, e);
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
