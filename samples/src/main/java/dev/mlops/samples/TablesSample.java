package dev.mlops.samples;

import dev.mlops.core.Column;
import dev.mlops.core.Commit;
import dev.mlops.core.CommitResult;
import dev.mlops.core.DataType;
import dev.mlops.core.DeltaTable;
import dev.mlops.core.Field;
import dev.mlops.core.Filter;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

/**
 * Scenario: a Delta table and its versions (create, append, upsert, delete, add a column, time travel, history).
 *
 * <p>Run alone with {@code java dev.mlops.samples.TablesSample [workspace-dir]} (default
 * {@code target/lakehouse}); {@link EndToEnd} runs every scenario in order.
 */
public final class TablesSample {
  private TablesSample() {}

  /** The table the scenario writes. */
  public static final String TABLE = "main.crm.customers";

  /** What the scenario produced. */
  public record Result(long latestVersion, Frame latest, Frame firstVersion, List<Commit> history) {}

  /**
   * A Delta table: create with a description, append, upsert by key, delete by predicate, add a
   * column, then read the latest version, an old version and the history.
   */
  public static Result run(Workspace ws, PrintStream out) {
    String name = TABLE;
    ws.tables().drop(name); // the sample starts fresh every run

    // 1. A Delta table with a description.
    Schema schema = Schema.of(
        Field.of("customer_id", DataType.LONG).withNullable(false),
        Field.of("city", DataType.STRING),
        Field.of("spend_30d", DataType.DOUBLE).withComment("Spend over the last 30 days"),
        Field.of("updated_at", DataType.TIMESTAMP));
    DeltaTable customers = ws.tables().create(name).schema(schema)
        .description("One row per customer").create();
    out.println("Created " + name + " at version " + customers.version());

    // 2. The first batch.
    Instant t0 = Instant.parse("2026-01-01T00:00:00Z");
    Frame first = Frame.builder(schema)
        .row(1L, "Oslo", 120.0, t0)
        .row(2L, "Lima", 35.5, t0)
        .row(3L, "Rome", 0.0, t0)
        .build();
    CommitResult r = customers.append(first);
    out.println("Appended " + r.rowsInserted() + " rows -> version " + r.version());

    // 3. Upsert: customer 2 changed, customer 4 is new.
    Instant t1 = Instant.parse("2026-02-01T00:00:00Z");
    Frame changes = Frame.builder(schema)
        .row(2L, "Lima", 80.0, t1)
        .row(4L, "Nuuk", 15.0, t1)
        .build();
    r = customers.upsert(changes, "customer_id");
    out.println("Upserted: " + r.rowsUpdated() + " updated, " + r.rowsInserted() + " inserted -> version " + r.version());

    // 4. Delete by predicate, then a new feature column arrives.
    r = customers.delete(Filter.eq("spend_30d", 0.0));
    out.println("Deleted " + r.rowsDeleted() + " inactive customer(s) -> version " + r.version());
    customers.addColumns(Field.of("visits_7d", DataType.INT));
    customers.upsert(Frame.of(Column.ofLongs("customer_id", 1), Column.ofStrings("city", "Oslo"),
        Column.ofDoubles("spend_30d", 130.0), Column.of("updated_at", DataType.TIMESTAMP, List.of(t1)),
        Column.ofInts("visits_7d", 3)), "customer_id");

    // 5. Read the latest version, an old version, and the history.
    Frame latest = customers.read().load();
    out.println("\nLatest version " + customers.version() + ":");
    out.println(latest);
    Frame v1 = customers.read().version(1).load();
    out.println("\nVersion 1 (time travel):");
    out.println(v1);
    out.println("\nHistory:");
    List<Commit> history = customers.history();
    for (Commit c : history) {
      out.printf("  v%d %-12s +%d -%d rows%n", c.version(), c.operation(), c.rowsAdded(), c.rowsRemoved());
    }

    return new Result(customers.version(), latest, v1, history);
  }

  /** Runs this scenario in the given workspace directory (default target/lakehouse). */
  public static void main(String[] args) {
    try (Workspace ws = Workspace.open(Path.of(args.length > 0 ? args[0] : "target/lakehouse"))) {
      run(ws, System.out);
    }
  }
}
