package dev.mlops.serving.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Workspace;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InferenceWriterTest {
  private static final Instant T = Instant.parse("2026-11-30T10:00:00Z");

  private static InferenceRecord rec(String id, Frame scored, List<Field> outputs, String version) {
    return new InferenceRecord(id, "c-" + id, T, 200, 1, utf8("{}"), utf8("{}"), List.of(), "m-" + version, "127.0.0.1", "m",
        version, scored, outputs);
  }

  private static byte[] utf8(String s) {
    return s == null ? null : s.getBytes(java.nio.charset.StandardCharsets.UTF_8);
  }

  @Test
  void interleaved_versions_with_different_columns_become_one_row_per_prediction_each_with_its_own_request() {
    List<Field> outA = List.of(Field.of("prediction", DataType.DOUBLE));
    List<Field> outB = List.of(Field.of("prediction", DataType.DOUBLE), Field.of("probability_1", DataType.DOUBLE));
    Frame a1 = Frame.of(Column.ofDoubles("x", 1.0), Column.ofDoubles("prediction", 10.0));
    Frame a2 = Frame.of(Column.ofDoubles("x", 2.0, 3.0), Column.ofDoubles("prediction", 20.0, 30.0));
    Frame b1 = Frame.of(Column.ofDoubles("x", 4.0), Column.ofDoubles("y", 5.0), Column.ofDoubles("prediction", 1.0),
        Column.ofDoubles("probability_1", 0.75));
    Frame p = InferenceWriter.predictions(List.of(rec("r1", a1, outA, "1"), rec("r2", b1, outB, "2"),
        rec("r3", a2, outA, "1"), rec("r4", null, List.of(), "1")));

    assertThat(p.rowCount()).isEqualTo(4);
    // grouped by shape: version 1's three rows, then version 2's row; each row keeps its request
    assertThat(p.column("request_id").toList()).containsExactly("r1", "r3", "r3", "r2");
    assertThat(p.column("client_request_id").toList()).containsExactly("c-r1", "c-r3", "c-r3", "c-r2");
    assertThat(p.column("row_index").toList()).containsExactly(0, 0, 1, 0);
    assertThat(p.column("model_version").toList()).containsExactly("1", "1", "1", "2");
    assertThat(p.column("x").toList()).containsExactly(1.0, 2.0, 3.0, 4.0);
    assertThat(p.column("y").toList()).containsExactly(null, null, null, 5.0);
    assertThat(p.column("prediction").toList()).containsExactly(10.0, 20.0, 30.0, 1.0);
    assertThat(p.column("probabilities").toList()).containsExactly(null, null, null, Map.of("1", 0.75));
    assertThat(p.column("label").nullCount()).isEqualTo(4);
    assertThat(p.schema().names()).doesNotContain("probability_1");
  }

  /**
   * The writer clears each committed batch and gathers the next one into it: what the reused batch gives
   * must be what a new batch gives, with nothing of the last batch left over (null masks, shapes of a
   * version no longer served, error codes, bodies).
   */
  @Test
  void a_cleared_batch_gives_the_rows_a_new_batch_would() {
    List<Field> outA = List.of(Field.of("prediction", DataType.DOUBLE));
    List<Field> outB = List.of(Field.of("prediction", DataType.DOUBLE), Field.of("probability_1", DataType.DOUBLE));
    Frame withNull = Frame.of(Column.ofDoubles("x", new double[] {1.0, 0.0}, new boolean[] {false, true}),
        Column.ofDoubles("prediction", 10.0, 11.0));
    Frame b1 = Frame.of(Column.ofDoubles("x", 4.0), Column.ofDoubles("y", 5.0), Column.ofDoubles("prediction", 1.0),
        Column.ofDoubles("probability_1", 0.75));
    InferenceRecord failed = new InferenceRecord("r3", null, T, 413, 0, null, utf8("{\"error_code\": \"é\"}"),
        List.of(InferenceRecord.MAX_REQUEST_SIZE_EXCEEDED), null, "10.0.0.1", null, null, null, List.of());
    List<InferenceRecord> first = List.of(rec("r1", withNull, outA, "1"), rec("r2", b1, outB, "2"), failed);
    Frame plain = Frame.of(Column.ofDoubles("x", 2.0, 3.0, 4.0), Column.ofDoubles("prediction", 20.0, 30.0, 40.0));
    List<InferenceRecord> second = List.of(rec("r4", plain, outA, "1"), rec("r5", null, List.of(), "1"),
        new InferenceRecord("r6", "c6", T, 200, 3, utf8("{\"ü\": 1}"), utf8("{}"), List.of(), "m-1", "10.0.0.2", "m",
            "1", null, List.of()));
    InferenceBatch reused = new InferenceBatch(2, 2); // grows in the first batch
    first.forEach(reused::add);
    assertThat(reused.payload()).isEqualTo(InferenceWriter.payload(first));
    assertThat(reused.predictions()).isEqualTo(InferenceWriter.predictions(first));
    reused.clear();
    assertThat(reused.isEmpty()).isTrue();
    assertThat(reused.predictions()).isNull();
    second.forEach(reused::add);
    Frame payload = reused.payload();
    assertThat(payload).isEqualTo(InferenceWriter.payload(second));
    assertThat(payload.column("logging_error_codes").nullCount()).isEqualTo(3);
    Frame predictions = reused.predictions();
    assertThat(predictions).isEqualTo(InferenceWriter.predictions(second));
    assertThat(predictions.column("x").nullCount()).isZero();
    assertThat(predictions.schema().names()).doesNotContain("y"); // version 2's shape is not in this batch
  }

  /**
   * The probabilities' row views are kept with the group's arrays from batch to batch: after the
   * arrays grew and after a null mask came, they read the new ones; while the arrays are the same, the
   * same views serve the next batch.
   */
  @Test
  void probability_views_follow_the_groups_arrays_from_batch_to_batch() {
    List<Field> out = List.of(Field.of("prediction", DataType.DOUBLE), Field.of("probability_1", DataType.DOUBLE));
    InferenceBatch b = new InferenceBatch(2, 2); // a group starts with arrays of 16 rows
    List<InferenceRecord> first = List.of(rec("r1", scoredWith(0.75, false), out, "1"));
    first.forEach(b::add);
    assertThat(b.predictions()).isEqualTo(InferenceWriter.predictions(first));
    b.clear();
    List<InferenceRecord> second = List.of(rec("r2", scoredWith(0.1, false), out, "1"),
        rec("r3", scoredWith(0, true), out, "1"), rec("r4", scoredWith(0.3, false), out, "1")); // a null mask comes
    second.forEach(b::add);
    Frame p2 = b.predictions();
    assertThat(p2).isEqualTo(InferenceWriter.predictions(second));
    assertThat(p2.column("probabilities").toList()).containsExactly(Map.of("1", 0.1),
        java.util.Collections.singletonMap("1", null), Map.of("1", 0.3));
    b.clear();
    List<InferenceRecord> third = new java.util.ArrayList<>();
    for (int i = 0; i < 20; i++) { // beyond 16 rows: the group's arrays grow
      third.add(rec("s" + i, scoredWith(i / 20.0, false), out, "1"));
    }
    third.forEach(b::add);
    Frame p3 = b.predictions();
    assertThat(p3).isEqualTo(InferenceWriter.predictions(third));
    assertThat(p3.column("label").nullCount()).isEqualTo(20); // the group's nulls, grown too
    assertThat(p3.column("probabilities").get(19)).isEqualTo(Map.of("1", 0.95));
    b.clear();
    List<InferenceRecord> fourth = List.of(rec("r5", scoredWith(0.9, false), out, "1"));
    fourth.forEach(b::add);
    Frame p4 = b.predictions();
    assertThat(p4).isEqualTo(InferenceWriter.predictions(fourth));
    assertThat(p4.column("probabilities").get(0)).isSameAs(p3.column("probabilities").get(0)); // kept
  }

  private static Frame scoredWith(double probability, boolean isNull) {
    return Frame.of(Column.ofDoubles("x", 1.0), Column.ofDoubles("prediction", 1.0),
        Column.ofDoubles("probability_1", new double[] {probability}, new boolean[] {isNull}));
  }

  @Test
  void a_group_keeps_its_arrays_through_empty_batches_and_goes_after_idle_ones() {
    List<Field> out = List.of(Field.of("prediction", DataType.DOUBLE));
    double[] x = new double[100];
    Frame scored = Frame.of(Column.ofDoubles("x", x), Column.ofDoubles("prediction", x));
    InferenceBatch b = new InferenceBatch(2, 2);
    b.add(rec("r1", scored, out, "1"));
    assertThat(b.groupCapacities()).hasSize(1);
    int grown = b.groupCapacities().get(0);
    assertThat(grown).isGreaterThanOrEqualTo(100);
    b.clear();
    for (int i = 0; i < 3 * InferenceBatch.IDLE_BATCHES; i++) {
      b.clear(); // a flush finds this batch empty: the group must not be made again (and grown by copies)
    }
    assertThat(b.groupCapacities()).containsExactly(grown);
    for (int i = 0; i < InferenceBatch.IDLE_BATCHES - 1; i++) {
      b.add(rec("p" + i, null, List.of(), "1")); // records without scored rows: the group is idle
      b.clear();
    }
    assertThat(b.groupCapacities()).containsExactly(grown);
    b.add(rec("r2", scored, out, "1")); // used again: its idle count starts over
    assertThat(b.predictions().rowCount()).isEqualTo(100);
    b.clear();
    for (int i = 0; i < InferenceBatch.IDLE_BATCHES; i++) {
      b.add(rec("q" + i, null, List.of(), "2"));
      b.clear();
    }
    assertThat(b.groupCapacities()).isEmpty(); // a shape no longer served goes
  }

  @Test
  void a_batch_without_scored_rows_has_no_prediction_rows() {
    assertThat(InferenceWriter.predictions(List.of(rec("r1", null, List.of(), "1")))).isNull();
  }

  @Test
  void payload_rows_have_the_table_schema_and_the_utc_day_of_each_request() {
    Instant beforeEpoch = Instant.parse("1969-12-31T23:59:59.999999Z");
    Instant lateUtc = Instant.parse("2026-11-30T23:59:59.123456789Z");
    InferenceRecord a = new InferenceRecord("r1", null, beforeEpoch, 400, 0, null, utf8("{\"error_code\": \"X\"}"),
        List.of(InferenceRecord.REQUEST_NOT_READ), null, "10.0.0.1", null, null, null, List.of());
    InferenceRecord b = new InferenceRecord("r2", "c2", lateUtc, 200, 12, utf8("{}"), utf8("{}"), List.of(), "m-1", "127.0.0.1",
        "m", "1", null, List.of());
    Frame p = InferenceWriter.payload(List.of(a, b));
    assertThat(p.schema().names()).isEqualTo(InferenceWriter.PAYLOAD.names());
    for (Field f : InferenceWriter.PAYLOAD.fields()) {
      assertThat(p.column(f.name()).columnType()).as(f.name()).isEqualTo(f.columnType());
    }
    assertThat(p.column("request_date").toList()).containsExactly(java.time.LocalDate.of(1969, 12, 31),
        java.time.LocalDate.of(2026, 11, 30));
    assertThat(p.column("request_time").toList()).containsExactly(beforeEpoch,
        Instant.parse("2026-11-30T23:59:59.123456Z"));
    assertThat(p.column("status_code").toList()).containsExactly(400, 200);
    assertThat(p.column("sampling_fraction").toList()).containsExactly(1.0, 1.0);
    assertThat(p.column("execution_duration_ms").toList()).containsExactly(0L, 12L);
    assertThat(p.column("client_request_id").toList()).containsExactly(null, "c2");
    assertThat(p.column("request").toList()).containsExactly(null, "{}");
    assertThat(p.column("logging_error_codes").toList()).containsExactly(List.of("REQUEST_NOT_READ"), null);
    assertThat(p.column("model_version").toList()).containsExactly(null, "1");
  }

  @Test
  void a_full_batch_is_committed_long_before_the_flush_interval_and_a_flush_returns_without_waiting_for_it(
      @TempDir Path dir) throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      InferenceWriter w = new InferenceWriter(ws, "main.serving.wake_payload", "main.serving.wake_predictions", 50,
          600_000, 10_000); // a 10-minute flush interval
      try {
        for (int i = 0; i < 50; i++) {
          assertThat(w.offer(rec("r" + i, null, List.of(), "1"))).isTrue();
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (w.written() < 50 && System.nanoTime() < deadline) {
          Thread.sleep(10);
        }
        assertThat(w.written()).as("a full batch is written without a flush").isEqualTo(50);
        for (int i = 50; i < 53; i++) {
          w.offer(rec("r" + i, null, List.of(), "1"));
        }
        long t0 = System.nanoTime();
        w.flush(); // the writer sleeps while the batch gathers: the flush must wake it
        assertThat(w.written()).isEqualTo(53);
        assertThat(TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0)).isLessThan(60);
      } finally {
        w.close();
      }
      assertThat(ws.tables().get("main.serving.wake_payload").read().load().rowCount()).isEqualTo(53);
    }
  }

  /**
   * Thousands of records with nested values (error codes: none, one, two; probabilities with a null
   * value; null payloads and client ids), committed in many batches: both tables read back row for row
   * exactly what the writer was given, and every data file was written by the SDK's columnar writer
   * (arrays and maps included), not Kernel's row-by-row one.
   */
  @Test
  void many_records_with_nested_values_are_written_column_by_column_and_read_back_exactly(@TempDir Path dir)
      throws Exception {
    List<Field> outs = List.of(Field.of("prediction", DataType.DOUBLE), Field.of("probability_0", DataType.DOUBLE),
        Field.of("probability_1", DataType.DOUBLE));
    List<String> codes0 = List.of();
    List<String> codes1 = List.of(InferenceRecord.REQUEST_NOT_READ);
    List<String> codes2 = List.of(InferenceRecord.MAX_REQUEST_SIZE_EXCEEDED, InferenceRecord.MAX_RESPONSE_SIZE_EXCEEDED);
    List<InferenceRecord> all = new java.util.ArrayList<>();
    Map<String, List<String>> bodies = new java.util.HashMap<>();
    java.util.Random r = new java.util.Random(3);
    for (int i = 0; i < 6_000; i++) {
      int rows = 1 + r.nextInt(3);
      double[] x = new double[rows];
      double[] pred = new double[rows];
      double[] p0 = new double[rows];
      double[] p1 = new double[rows];
      boolean[] p1Null = new boolean[rows];
      for (int k = 0; k < rows; k++) {
        x[k] = r.nextGaussian();
        p0[k] = r.nextDouble();
        p1[k] = 1 - p0[k];
        p1Null[k] = r.nextInt(7) == 0;
        pred[k] = p1[k] > 0.5 ? 1 : 0;
      }
      Frame scored = i % 11 == 0 ? null : Frame.of(Column.ofDoubles("x", x), Column.ofDoubles("prediction", pred),
          Column.ofDoubles("probability_0", p0), Column.ofDoubles("probability_1", p1, p1Null));
      List<String> codes = i % 5 == 0 ? codes2 : i % 3 == 0 ? codes1 : codes0;
      Instant t = T.plusNanos(i * 1_000L);
      // bodies: short ones, empty ones, non-ASCII ones, and now and then a long one
      String body = codes == codes2 ? null : i % 7 == 0 ? "{\"é€😀\": " + i + "}"
          : i % 997 == 0 ? "{\"long\": \"" + "ü".repeat(70_000 + i) + "\"}" : "{\"i\": " + i + "}";
      String answer = codes == codes2 ? null : i % 2 == 0 ? "" : "{\"predictions\": [" + i + "]}";
      all.add(new InferenceRecord(String.format("r%05d", i), i % 4 == 0 ? null : "c" + i, t,
          scored == null ? 400 : 200, i % 13, utf8(body), utf8(answer), codes, "m-1", "127.0.0.1", "m", "1", scored,
          outs));
      bodies.put(String.format("r%05d", i), java.util.Arrays.asList(body, answer, i % 4 == 0 ? null : "c" + i));
    }
    try (Workspace ws = Workspace.open(dir)) {
      InferenceWriter w = new InferenceWriter(ws, "main.serving.many", "main.serving.many_predictions", 700, 50,
          20_000);
      try {
        for (int i = 0; i < all.size(); i++) {
          assertThat(w.offer(all.get(i))).isTrue();
          if (i % 1_000 == 999) {
            w.flush(); // several commits whatever the timing (the writer takes every waiting record into one)
          }
        }
        w.flush();
      } finally {
        w.close();
      }
      assertThat(w.written()).isEqualTo(6_000);
      assertThat(w.dropped()).isZero();
      assertThat(w.failed()).isZero();
      assertThat(sorted(ws.tables().get("main.serving.many").read().load(), "databricks_request_id"))
          .isEqualTo(sorted(InferenceWriter.payload(all), "databricks_request_id"));
      // and, independently of the writer's own frame, every request's texts as the records held them
      Frame logged = ws.tables().get("main.serving.many").read().load();
      for (Map<String, Object> row : logged.rows()) {
        assertThat(Arrays.asList(row.get("request"), row.get("response"), row.get("client_request_id")))
            .as("texts of %s", row.get("databricks_request_id"))
            .isEqualTo(bodies.get((String) row.get("databricks_request_id")));
      }
      Frame predictions = ws.tables().get("main.serving.many_predictions").read().load();
      assertThat(predictions.rowCount()).isGreaterThan(6_000);
      assertThat(sorted(predictions, "request_id")).isEqualTo(sorted(InferenceWriter.predictions(all), "request_id"));
      // and, independently of the writer's own frame, every row's probabilities as the scored columns held them
      Map<String, Map<Object, Object>> expected = new java.util.HashMap<>();
      for (InferenceRecord rec : all) {
        Frame s = rec.scored();
        for (int k = 0; s != null && k < s.rowCount(); k++) {
          Map<Object, Object> m = new java.util.LinkedHashMap<>();
          m.put("0", s.column("probability_0").getDouble(k));
          m.put("1", s.column("probability_1").isNull(k) ? null : s.column("probability_1").getDouble(k));
          expected.put(rec.requestId() + "/" + k, m);
        }
      }
      assertThat(expected.values()).anyMatch(m -> m.get("1") == null);
      for (Map<String, Object> row : predictions.rows()) {
        assertThat(row.get("probabilities")).as("probabilities of %s", row.get("request_id"))
            .isEqualTo(expected.get(row.get("request_id") + "/" + row.get("row_index")));
        assertThat(row.get("client_request_id")).isEqualTo(bodies.get((String) row.get("request_id")).get(2));
      }
      assertThat(ws.tables().get("main.serving.many").history().size()).isGreaterThan(6); // several commits
    }
    for (String table : List.of("many", "many_predictions")) {
      List<Path> files;
      try (java.util.stream.Stream<Path> walk = java.nio.file.Files.walk(dir.resolve("tables/main/serving/" + table))) {
        files = walk.filter(f -> f.toString().endsWith(".parquet") && !f.toString().contains("_delta_log")).toList();
      }
      assertThat(files).isNotEmpty();
      for (Path f : files) {
        try (org.apache.parquet.hadoop.ParquetFileReader pr = org.apache.parquet.hadoop.ParquetFileReader.open(
            new org.apache.parquet.io.LocalInputFile(f))) {
          assertThat(pr.getFooter().getFileMetaData().getKeyValueMetaData()).as(f.toString())
              .containsEntry("writer.model.name", "mlops-sdk-columnar");
        }
      }
    }
  }

  /**
   * Columns gathered from many requests into one array per column keep each request's nulls where
   * they were (a request without nulls next to requests with them), strings included.
   */
  @Test
  void gathered_feature_columns_keep_every_requests_nulls_in_place() {
    List<Field> outs = List.of(Field.of("prediction", DataType.DOUBLE));
    Frame a = Frame.of(Column.ofDoubles("x", new double[] {1.0, 0.0}, new boolean[] {false, true}),
        Column.ofStrings("s", "a", null), Column.ofDoubles("prediction", 1.0, 2.0));
    Frame b = Frame.of(Column.ofDoubles("x", 3.0), Column.ofStrings("s", "b"), Column.ofDoubles("prediction", 3.0));
    Frame c = Frame.of(Column.ofDoubles("x", new double[] {0.0, 5.0}, new boolean[] {true, false}),
        Column.ofStrings("s", null, "c"), Column.ofDoubles("prediction", 4.0, 5.0));
    Frame p = InferenceWriter.predictions(List.of(rec("r1", a, outs, "1"), rec("r2", b, outs, "1"),
        rec("r3", c, outs, "1")));
    assertThat(p.column("x").toList()).containsExactly(1.0, null, 3.0, null, 5.0);
    assertThat(p.column("s").toList()).containsExactly("a", null, "b", null, "c");
    assertThat(p.column("prediction").toList()).containsExactly(1.0, 2.0, 3.0, 4.0, 5.0);
    assertThat(p.column("request_id").toList()).containsExactly("r1", "r1", "r2", "r3", "r3");
    assertThat(p.column("row_index").toList()).containsExactly(0, 1, 0, 0, 1);
  }

  /**
   * The writer keeps the predictions table's columns between batches; a column another process adds
   * in between must not make the next batch fail (it is re-read and filled with nulls).
   */
  @Test
  void a_column_added_to_the_predictions_table_by_someone_else_between_batches_is_filled_with_nulls(
      @TempDir Path dir) {
    List<Field> outs = List.of(Field.of("prediction", DataType.DOUBLE));
    try (Workspace ws = Workspace.open(dir)) {
      InferenceWriter w = new InferenceWriter(ws, "main.serving.evolve", "main.serving.evolve_predictions", 1_000,
          50, 1_000);
      try {
        w.offer(rec("r1", Frame.of(Column.ofDoubles("x", 1.0), Column.ofDoubles("prediction", 1.0)), outs, "1"));
        w.flush();
        ws.tables().get("main.serving.evolve_predictions").addColumns(Field.of("note", DataType.STRING));
        w.offer(rec("r2", Frame.of(Column.ofDoubles("x", 2.0), Column.ofDoubles("prediction", 2.0)), outs, "1"));
        w.flush();
      } finally {
        w.close();
      }
      Frame p = ws.tables().get("main.serving.evolve_predictions").read().load();
      assertThat(sorted(p, "request_id").stream().map(m -> m.get("request_id")).toList()).containsExactly("r1", "r2");
      assertThat(p.column("note").nullCount()).isEqualTo(2);
      for (String t : List.of("main.serving.evolve", "main.serving.evolve_predictions")) {
        assertThat(ws.tables().get(t).properties()).as(t).containsEntry("delta.checkpointInterval", "100");
      }
      assertThat(w.written()).isEqualTo(2);
    }
  }

  /**
   * At a high rate the writer commits a few times a second, not once per {@code batchRows} records:
   * 10-record batches offered for about a second make at most a handful of commits (one per 250 ms,
   * plus the first and the last), where a commit per full batch would be ~100 (the writer waits 500 ms between commits).
   */
  @Test
  void at_a_high_rate_batches_grow_instead_of_commits_multiplying(@TempDir Path dir) throws Exception {
    try (Workspace ws = Workspace.open(dir)) {
      InferenceWriter w = new InferenceWriter(ws, "main.serving.rate_payload", "main.serving.rate_predictions", 10,
          1_000, 10_000);
      long before = ws.tables().get("main.serving.rate_payload").history().size();
      long t0 = System.nanoTime();
      int n = 0;
      try {
        while (System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(1)) {
          for (int i = 0; i < 10; i++) {
            assertThat(w.offer(rec("r" + n++, null, List.of(), "1"))).isTrue();
          }
          Thread.sleep(10);
        }
        w.flush();
      } finally {
        w.close();
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      long commits = ws.tables().get("main.serving.rate_payload").history().size() - before;
      assertThat(w.written()).isEqualTo(n);
      assertThat(commits).as("%d records in %.1f s", n, seconds).isLessThanOrEqualTo((long) (seconds * 4) + 3);
    }
  }

  /**
   * A record is not kept once offered: its values go into the batch's columns and the record (its scored
   * frame with columns, schema and fields) can be collected long before the batch is committed (here a
   * 10-minute flush interval). Holding records until their commit (in the batch, or in a queue for a
   * gatherer thread) made young collections copy them (G1 pauses of 60-120 ms at 26,000 requests/s).
   */
  @Test
  void offered_records_are_not_kept_until_their_batch_is_committed(@TempDir Path dir) throws Exception {
    List<Field> outs = List.of(Field.of("prediction", DataType.DOUBLE));
    try (Workspace ws = Workspace.open(dir)) {
      InferenceWriter w = new InferenceWriter(ws, "main.serving.kept_payload", "main.serving.kept_predictions", 1_000,
          600_000, 2);
      java.lang.ref.WeakReference<Frame> scored = offerOne(w, outs);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
      while (scored.get() != null && System.nanoTime() < deadline) {
        System.gc();
        Thread.sleep(20);
      }
      assertThat(scored.get()).as("the scored frame of a record waiting for its commit").isNull();
      assertThat(w.written()).isZero();
      w.close();
      Frame p = ws.tables().get("main.serving.kept_predictions").read().load();
      assertThat(p.column("request_id").toList()).containsExactly("kept");
      assertThat(p.column("x").toList()).containsExactly(7.5);
      assertThat(p.column("prediction").toList()).containsExactly(1.0);
    }
  }

  /** Offers one scored record; the caller keeps only a weak reference to its frame. */
  private static java.lang.ref.WeakReference<Frame> offerOne(InferenceWriter w, List<Field> outs) {
    Frame f = Frame.of(Column.ofDoubles("x", 7.5), Column.ofDoubles("prediction", 1.0));
    assertThat(w.offer(rec("kept", f, outs, "1"))).isTrue();
    return new java.lang.ref.WeakReference<>(f);
  }

  /** The rows as maps, ordered by the key column then row_index (when there is one). */
  private static List<Map<String, Object>> sorted(Frame f, String key) {
    List<Map<String, Object>> rows = new java.util.ArrayList<>(f.rows());
    java.util.Comparator<Map<String, Object>> c = java.util.Comparator.comparing(m -> (String) m.get(key));
    if (f.hasColumn("row_index")) {
      c = c.thenComparing(m -> (Integer) m.get("row_index"));
    }
    rows.sort(c);
    return rows;
  }
}
