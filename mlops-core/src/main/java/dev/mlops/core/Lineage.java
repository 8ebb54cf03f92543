package dev.mlops.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Where data came from and where it went: edges between tables, files, jobs, training sets, runs and
 * models, stored as the Delta table {@code system.lineage.edges} in the workspace (so Spark or SQL can
 * query it too). Modules record edges when they write; you query both ways.
 *
 * <pre>{@code
 * Lineage lin = ws.lineage();
 * lin.upstream(Lineage.Node.table("main.crm.customer_features"));   // what feeds it
 * lin.downstream(Lineage.Node.table("main.raw.orders"));            // what it feeds
 * lin.downstreamClosure(Lineage.Node.table("main.raw.orders"));     // everything it feeds, transitively
 * }</pre>
 */
public final class Lineage {
  /** The lineage table's name. */
  public static final String TABLE = "system.lineage.edges";

  static final Schema SCHEMA = Schema.of(
      Field.of("from_type", DataType.STRING), Field.of("from_name", DataType.STRING),
      Field.of("from_version", DataType.LONG),
      Field.of("to_type", DataType.STRING), Field.of("to_name", DataType.STRING),
      Field.of("to_version", DataType.LONG),
      Field.of("relation", DataType.STRING), Field.of("recorded_at", DataType.TIMESTAMP),
      Field.of("detail", DataType.STRING), Field.of("edge_key", DataType.STRING));
  /** Commit tag (on the data commit) naming the outbox entry of a write's lineage. */
  public static final String TAG_ID = "lineage.id";
  /** Commit tag (on the data commit) listing a write's sources as {@code TYPE:name@version;...}. */
  public static final String TAG_SOURCES = "lineage.sources";
  /** An outbox entry whose write never committed is dropped after this long. */
  static final java.time.Duration OUTBOX_EXPIRY = java.time.Duration.ofHours(1);

  private final Tables tables;
  private final java.nio.file.Path outbox; // null on non-local workspaces

  Lineage(Tables tables, java.nio.file.Path outbox) {
    this.tables = tables;
    this.outbox = outbox;
  }

  /**
   * One thing in the lineage graph.
   *
   * @param type TABLE, FILE, JOB, TRAINING_SET, RUN, MODEL or another upper-case word
   * @param name its name (three-level table name, path, job name, run id, model name)
   * @param version table or model version, or null when not versioned
   */
  public record Node(String type, String name, Long version) {
    /** Checks arguments. */
    public Node {
      Objects.requireNonNull(type, "type");
      Objects.requireNonNull(name, "name");
    }

    /** A table, any version. */
    public static Node table(String name) {
      return new Node("TABLE", name, null);
    }

    /** A table at a version. */
    public static Node table(String name, long version) {
      return new Node("TABLE", name, version);
    }

    /** A file or directory. */
    public static Node file(String path) {
      return new Node("FILE", path, null);
    }

    /** A job (free text such as "nightly-aggregation"). */
    public static Node job(String name) {
      return new Node("JOB", name, null);
    }

    /** The same node without version (for "any version" queries). */
    public Node unversioned() {
      return new Node(type, name, null);
    }
  }

  /**
   * A directed edge: {@code from} feeds {@code to}.
   *
   * @param from upstream node
   * @param to downstream node
   * @param relation e.g. "writes", "reads", "trained_on"
   * @param recordedAt when it was recorded
   * @param detail free text or JSON (e.g. the features used), "" when none
   */
  public record Edge(Node from, Node to, String relation, Instant recordedAt, String detail) {
    /** Checks arguments. */
    public Edge {
      Objects.requireNonNull(from, "from");
      Objects.requireNonNull(to, "to");
      Objects.requireNonNull(relation, "relation");
      recordedAt = recordedAt == null ? Instant.now() : recordedAt;
      detail = detail == null ? "" : detail;
    }

    /** An edge recorded now. */
    public static Edge of(Node from, Node to, String relation) {
      return new Edge(from, to, relation, Instant.now(), "");
    }
  }

  /**
   * Records edges in one commit (all or none). Idempotent: an edge already recorded (same nodes,
   * versions and relation) is not recorded again, also when several processes record it at once.
   */
  public void record(List<Edge> edges) {
    Objects.requireNonNull(edges, "edges");
    if (edges.isEmpty()) {
      return;
    }
    Map<String, Edge> byKey = new LinkedHashMap<>();
    for (Edge e : edges) {
      byKey.putIfAbsent(key(e), e);
    }
    TableSnapshot s = snapshot();
    if (s.schema().contains("edge_key")) {
      Frame have = s.read().columns("edge_key").filter(Filter.in("edge_key", new ArrayList<>(byKey.keySet()))).load();
      for (int i = 0; i < have.rowCount(); i++) {
        byKey.remove(have.column("edge_key").getString(i));
      }
      if (byKey.isEmpty()) {
        return;
      }
    }
    Frame.Builder b = Frame.builder(SCHEMA);
    for (Map.Entry<String, Edge> en : byKey.entrySet()) {
      Edge e = en.getValue();
      b.row(e.from().type(), e.from().name(), e.from().version(), e.to().type(), e.to().name(), e.to().version(),
          e.relation(), e.recordedAt(), e.detail(), en.getKey());
    }
    // An upsert by edge key keeps edges unique even when two processes record the same edge at once;
    // a lineage table written before edge keys existed gets the column in the same commit.
    s.table().upsert(b.build(), List.of("edge_key"), WriteOptions.defaults().withNewColumns().basedOn(s));
  }

  /** The identity of an edge: its nodes, versions and relation. */
  static String key(Edge e) {
    return node(e.from()) + ">" + e.relation() + ">" + node(e.to());
  }

  private static String node(Node n) {
    return n.type() + ":" + n.name() + (n.version() == null ? "" : "@" + n.version());
  }

  private static Node parseNode(String s) {
    int colon = s.indexOf(':');
    int at = s.lastIndexOf('@');
    String type = s.substring(0, colon);
    if (at > colon && s.substring(at + 1).matches("-?\\d+")) {
      return new Node(type, s.substring(colon + 1, at), Long.parseLong(s.substring(at + 1)));
    }
    return new Node(type, s.substring(colon + 1), null);
  }

  private TableSnapshot snapshot() {
    try {
      return tables.snapshot(TABLE);
    } catch (TableNotFoundException e) {
      tables.create(TABLE).schema(SCHEMA).description("Lineage edges recorded by the MLOps SDK").ifNotExists().create();
      return tables.snapshot(TABLE);
    }
  }

  /**
   * Runs one write into {@code table} and records {@code sources -> table@version} edges for it. The
   * sources also go into the data commit's info (tags {@value #TAG_ID}, {@value #TAG_SOURCES}), and
   * an outbox entry in the workspace stands for the edges until they are recorded, so a crash between
   * the data commit and the lineage commit is repaired by the next lineage read.
   *
   * <pre>{@code
   * CommitResult r = ws.lineage().recordWrite("main.crm.features", List.of(Lineage.Node.table("main.raw.orders", 4)),
   *     "writes", tags -> table.upsert(rows, List.of("id"), tagsAsOptions(tags)));
   * }</pre>
   *
   * @param table the table written (three-level name)
   * @param sources what the write read
   * @param relation the edges' relation, e.g. "writes"
   * @param write the write; it must put the given tags into its commit (see {@link WriteOptions#tag})
   * @return the write's result
   */
  public CommitResult recordWrite(String table, List<Node> sources, String relation,
      java.util.function.Function<Map<String, String>, CommitResult> write) {
    Objects.requireNonNull(write, "write");
    String target = TableName.parse(table).toString();
    if (sources.isEmpty()) {
      return write.apply(Map.of());
    }
    String id = java.util.UUID.randomUUID().toString();
    StringBuilder src = new StringBuilder();
    for (Node n : sources) {
      src.append(src.length() == 0 ? "" : ";").append(node(n));
    }
    java.nio.file.Path pending = null;
    if (outbox != null) {
      pending = outbox.resolve(id + ".json");
      dev.mlops.core.internal.Json.writeFile(pending, new Pending(id, target, relation, src.toString(),
          Instant.now().toString()));
    }
    CommitResult r;
    try {
      r = write.apply(Map.of(TAG_ID, id, TAG_SOURCES, src.toString()));
    } catch (RuntimeException e) {
      if (pending != null) {
        dev.mlops.core.internal.AtomicFiles.deleteQuietly(pending);
      }
      throw e;
    }
    try {
      record(edgesOf(src.toString(), target, r.version(), relation));
    } catch (MlopsException e) {
      // The data commit stands and carries its sources; the outbox entry lets the next lineage read
      // record the edges.
      org.slf4j.LoggerFactory.getLogger(Lineage.class).warn("Lineage of {} version {} not recorded yet ({});"
          + " the next lineage read records it.", target, r.version(), e.getMessage());
      return r;
    }
    if (pending != null) {
      dev.mlops.core.internal.AtomicFiles.deleteQuietly(pending);
    }
    return r;
  }

  /** An outbox entry: the lineage of a write that is not recorded yet. */
  record Pending(String id, String table, String relation, String sources, String createdAt) {}

  private static List<Edge> edgesOf(String sources, String table, long version, String relation) {
    List<Edge> out = new ArrayList<>();
    for (String s : sources.split(";")) {
      if (!s.isEmpty()) {
        out.add(Edge.of(parseNode(s), Node.table(table, version), relation));
      }
    }
    return out;
  }

  /**
   * Records the edges of writes that committed but whose lineage commit was lost (a crash between
   * the two): each outbox entry is matched to the data commit carrying its id. Entries whose write
   * never committed are dropped after {@link #OUTBOX_EXPIRY}.
   */
  void repair() {
    if (outbox == null || !java.nio.file.Files.isDirectory(outbox)) {
      return;
    }
    List<java.nio.file.Path> files;
    try (java.util.stream.Stream<java.nio.file.Path> st = java.nio.file.Files.list(outbox)) {
      files = st.filter(p -> p.getFileName().toString().endsWith(".json")).toList();
    } catch (java.io.IOException e) {
      return; // a repair is best effort; the next read tries again
    }
    for (java.nio.file.Path f : files) {
      try {
        Pending p = dev.mlops.core.internal.Json.readFile(f, Pending.class).orElse(null);
        if (p == null) {
          continue;
        }
        Long version = null;
        try {
          for (Commit c : tables.get(p.table()).history()) {
            if (p.id().equals(c.tags().get(TAG_ID))) {
              version = c.version();
              break;
            }
          }
        } catch (TableNotFoundException e) {
          // dropped: nothing to repair
        }
        if (version != null) {
          record(edgesOf(p.sources(), p.table(), version, p.relation()));
          dev.mlops.core.internal.AtomicFiles.deleteQuietly(f);
        } else if (Instant.parse(p.createdAt()).isBefore(Instant.now().minus(OUTBOX_EXPIRY))) {
          dev.mlops.core.internal.AtomicFiles.deleteQuietly(f);
        }
      } catch (RuntimeException e) {
        org.slf4j.LoggerFactory.getLogger(Lineage.class).debug("Lineage repair of {} failed: {}", f, e.toString());
      }
    }
  }

  /** Every edge recorded, oldest first. */
  public List<Edge> edges() {
    repair();
    return tables.find(TABLE).map(t -> toEdges(t.read().load())).orElse(List.of());
  }

  /** Direct upstream edges of a node (any version of it when its version is null). */
  public List<Edge> upstream(Node node) {
    return query("to", node);
  }

  /** Direct downstream edges of a node (any version of it when its version is null). */
  public List<Edge> downstream(Node node) {
    return query("from", node);
  }

  /** Every node upstream of this one, transitively (versions ignored). */
  public Set<Node> upstreamClosure(Node node) {
    return closure(node, true);
  }

  /** Every node downstream of this one, transitively (versions ignored). */
  public Set<Node> downstreamClosure(Node node) {
    return closure(node, false);
  }

  private Set<Node> closure(Node start, boolean up) {
    List<Edge> all = edges();
    Set<Node> seen = new LinkedHashSet<>();
    Deque<Node> todo = new ArrayDeque<>();
    todo.add(start.unversioned());
    while (!todo.isEmpty()) {
      Node n = todo.poll();
      for (Edge e : all) {
        Node here = up ? e.to() : e.from();
        Node there = (up ? e.from() : e.to()).unversioned();
        if (here.type().equals(n.type()) && here.name().equals(n.name()) && seen.add(there)) {
          todo.add(there);
        }
      }
    }
    return seen;
  }

  private List<Edge> query(String side, Node node) {
    repair();
    return tables.find(TABLE).map(t -> {
      Filter f = Filter.and(Filter.eq(side + "_type", node.type()), Filter.eq(side + "_name", node.name()));
      if (node.version() != null) {
        f = Filter.and(f, Filter.eq(side + "_version", node.version()));
      }
      return toEdges(t.read().filter(f).load());
    }).orElse(List.of());
  }

  private static List<Edge> toEdges(Frame f) {
    List<Edge> out = new ArrayList<>(f.rowCount());
    for (int i = 0; i < f.rowCount(); i++) {
      out.add(new Edge(
          new Node(f.column("from_type").getString(i), f.column("from_name").getString(i),
              (Long) f.column("from_version").get(i)),
          new Node(f.column("to_type").getString(i), f.column("to_name").getString(i),
              (Long) f.column("to_version").get(i)),
          f.column("relation").getString(i), (Instant) f.column("recorded_at").get(i), f.column("detail").getString(i)));
    }
    out.sort(java.util.Comparator.comparing(Edge::recordedAt));
    return out;
  }
}
