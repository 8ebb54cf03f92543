package dev.mlops.core;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
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
      Field.of("detail", DataType.STRING));

  private final Tables tables;

  Lineage(Tables tables) {
    this.tables = tables;
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

  /** Records edges in one commit (all or none). */
  public void record(List<Edge> edges) {
    if (edges.isEmpty()) {
      return;
    }
    Frame.Builder b = Frame.builder(SCHEMA);
    for (Edge e : edges) {
      b.row(e.from().type(), e.from().name(), e.from().version(), e.to().type(), e.to().name(), e.to().version(),
          e.relation(), e.recordedAt(), e.detail());
    }
    table().append(b.build());
  }

  private DeltaTable table() {
    return tables.find(TABLE).orElseGet(() -> {
      try {
        return tables.create(TABLE).schema(SCHEMA).description("Lineage edges recorded by the MLOps SDK")
            .ifNotExists().create();
      } catch (TableAlreadyExistsException raced) {
        return tables.get(TABLE);
      }
    });
  }

  /** Every edge recorded, oldest first. */
  public List<Edge> edges() {
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
