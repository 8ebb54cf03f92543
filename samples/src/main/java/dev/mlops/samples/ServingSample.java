package dev.mlops.samples;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import dev.mlops.core.Schema;
import dev.mlops.core.Workspace;
import dev.mlops.features.FeatureLookup;
import dev.mlops.features.FeatureStore;
import dev.mlops.features.OnlineStore;
import dev.mlops.features.TrainingSet;
import dev.mlops.models.Algorithm;
import dev.mlops.models.ModelRegistry;
import dev.mlops.models.ModelVersion;
import dev.mlops.models.Trainer;
import dev.mlops.serving.InferenceLog;
import dev.mlops.serving.ScoringServer;
import dev.mlops.serving.ServingEndpoint;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import java.util.LinkedHashMap;

import java.util.Map;
import java.util.Random;

/**
 * Serving: the {@code @champion} of a churn model behind MLflow's scoring protocol on an ephemeral
 * loopback port, called over HTTP in every input format; then the alias moves to a new version and the
 * next answer comes from it; finally the inference and predictions tables are read back.
 *
 * <p>Run it with {@code java dev.mlops.samples.ServingSample <dir>}.
 */
public final class ServingSample {
  private ServingSample() {}

  /**
   * What the run produced.
   *
   * @param answers request name → {@code served-model-name} and body, in call order
   * @param payloadRows rows in the payload (inference) table
   * @param predictionRows rows in the predictions table
   * @param predictions the predictions table
   */
  public record Result(Map<String, String> answers, int payloadRows, int predictionRows, Frame predictions) {}

  /** Runs the sample in the given directory (default: target/serving-lakehouse). */
  public static void main(String[] args) {
    run(Path.of(args.length > 0 ? args[0] : "target/serving-lakehouse"), System.out);
  }

  /** Trains two versions, serves the champion over HTTP, moves the alias and reads the inference tables. */
  public static Result run(Path dir, PrintStream out) {
    try (Workspace ws = Workspace.open(dir)) {
      FeatureStore fs = FeatureStore.of(ws);
      Schema schema = Schema.of(new Field("customer_id", DataType.LONG, false, ""), Field.of("spend_30d", DataType.DOUBLE),
          Field.of("visits_7d", DataType.INT), Field.of("plan", DataType.STRING));
      Random r = new Random(11);
      Frame.Builder b = Frame.builder(schema);
      for (long c = 0; c < 300; c++) {
        b.row(c, r.nextDouble() * 200, r.nextInt(10), r.nextBoolean() ? "pro" : "free");
      }
      Frame features = b.build();
      fs.createTable("main.crm.customer_features").primaryKeys("customer_id").create(features);
      boolean[] churned = new boolean[features.rowCount()];
      for (int i = 0; i < churned.length; i++) {
        churned[i] = features.column("spend_30d").getDouble(i) > 100 ^ features.column("plan").getString(i).equals("pro");
      }
      TrainingSet ts = fs.trainingSet(Frame.of(features.column("customer_id"), Column.ofBooleans("churned", churned)))
          .lookup(FeatureLookup.table("main.crm.customer_features").lookupKey("customer_id")).label("churned").build();
      ModelRegistry registry = ModelRegistry.of(ws);
      ModelVersion v1 = Trainer.on(ts).algorithm(Algorithm.logisticRegression()).fit().register(registry, "main.ml.churn");
      ModelVersion v2 = Trainer.on(ts).algorithm(Algorithm.randomForest().trees(50)).seed(3).fit()
          .register(registry, "main.ml.churn");
      registry.setAlias("main.ml.churn", "champion", v1.version());
      OnlineStore online = OnlineStore.inMemory();
      fs.publish("main.crm.customer_features", online);
      out.println("Registered versions " + v1.version() + " and " + v2.version() + "; @champion -> " + v1.version());

      Map<String, String> answers = new LinkedHashMap<>();
      try (ServingEndpoint endpoint = ServingEndpoint.builder(ws, "models:/main.ml.churn@champion").onlineStore(online)
               .pollInterval(Duration.ofMillis(200)).build();
           InferenceLog log = InferenceLog.builder(ws, "main.serving.churn").flushInterval(Duration.ofMillis(500)).build();
           ScoringServer server = ScoringServer.builder(endpoint).inferenceLog(log).start()) {
        out.println("Serving on " + server.uri());
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Map<String, String[]> calls = new LinkedHashMap<>();
        calls.put("dataframe_split", new String[] {"application/json",
            "{\"dataframe_split\": {\"columns\": [\"customer_id\"], \"data\": [[1], [2]]}}"});
        calls.put("dataframe_records", new String[] {"application/json",
            "{\"dataframe_records\": [{\"customer_id\": 1, \"plan\": \"free\"}, {\"customer_id\": 2, \"plan\": \"pro\"}], \"client_request_id\": \"sample-1\"}"});
        calls.put("instances", new String[] {"application/json", "{\"instances\": [{\"customer_id\": 3}]}"});
        calls.put("inputs", new String[] {"application/json",
            "{\"inputs\": {\"customer_id\": [4, 5]}, \"params\": {\"return_probabilities\": true}}"});
        calls.put("csv", new String[] {"text/csv", "customer_id\n6\n7\n"});
        for (Map.Entry<String, String[]> c : calls.entrySet()) {
          answers.put(c.getKey(), call(client, server.uri(), c.getValue()[0], c.getValue()[1], out));
        }

        registry.setAlias("main.ml.churn", "champion", v2.version());
        out.println("Moved @champion -> " + v2.version());
        // the endpoint also polls the alias on its own (every 200 ms here); refresh() checks at once, so the
        // next request is answered by the new version without waiting for a poll
        endpoint.refresh();
        String moved = call(client, server.uri(), "application/json", "{\"dataframe_records\": [{\"customer_id\": 8}]}",
            out);
        answers.put("after_move", moved);
        log.flush();
        Frame payload = ws.tables().get(log.payloadTable()).read().load();
        Frame predictions = ws.tables().get(log.predictionsTable()).read().load();
        out.println(log.payloadTable() + ": " + payload.rowCount() + " requests");
        out.println(payload.select("databricks_request_id", "client_request_id", "status_code", "served_entity_id",
            "execution_duration_ms").toString(20));
        out.println(log.predictionsTable() + ": " + predictions.rowCount() + " predictions");
        out.println(predictions.select("request_id", "model_version", "customer_id", "spend_30d", "prediction", "label")
            .toString(20));
        return new Result(answers, payload.rowCount(), predictions.rowCount(), predictions);
      }
    }
  }

  private static String call(HttpClient client, URI base, String contentType, String body, PrintStream out) {
    try {
      HttpResponse<String> resp = client.send(HttpRequest.newBuilder(base.resolve("invocations"))
          .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
          HttpResponse.BodyHandlers.ofString());
      String served = resp.headers().firstValue("served-model-name").orElse("-");
      out.println("POST " + contentType + " -> " + resp.statusCode() + " " + served + " " + resp.body());
      return served + " " + resp.statusCode() + " " + resp.body();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }


}
