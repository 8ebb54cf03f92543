// The MLOps loop in JShell: features -> point-in-time training set -> model in a run -> registry
// -> champion -> scoring by keys. Run from the repository root after `mvn -q -DskipTests install`:
//   jshell --class-path "$(cat samples/target/classpath.txt):samples/target/classes" samples/quickstart.jsh
// (samples/target/classpath.txt is written by `mvn -q -pl samples dependency:build-classpath
//  -DincludeScope=runtime -Dmdep.outputFile=target/classpath.txt`; QuickstartTest runs this very file.)
import dev.mlops.core.*;
import dev.mlops.features.*;
import dev.mlops.models.*;
import java.time.*;

var dir = java.nio.file.Path.of(System.getProperty("mlops.workspace", "target/quickstart-lakehouse"));
var ws = Workspace.open(dir);
var fs = FeatureStore.of(ws);
fs.dropTable("main.crm.customer_features");

// 1. A time-series feature table.
var schema = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("as_of", DataType.TIMESTAMP),
    Field.of("spend_30d", DataType.DOUBLE), Field.of("plan", DataType.STRING));
var rnd = new java.util.Random(7);
var rows = Frame.builder(schema);
for (long c = 0; c < 200; c++) {
  rows.row(c, Instant.parse("2026-01-31T00:00:00Z"), rnd.nextDouble() * 200, rnd.nextBoolean() ? "pro" : "free");
}
fs.createTable("main.crm.customer_features").primaryKeys("customer_id").timestampKey("as_of").create(rows.build());

// 2. Labels at their own times, features as of those times.
var spineSchema = Schema.of(Field.of("customer_id", DataType.LONG), Field.of("event_time", DataType.TIMESTAMP),
    Field.of("churned", DataType.BOOLEAN));
var feats = fs.read("main.crm.customer_features").load();
var spine = Frame.builder(spineSchema);
for (int i = 0; i < feats.rowCount(); i++) {
  spine.row(feats.column("customer_id").getLong(i), Instant.parse("2026-02-15T00:00:00Z"),
      feats.column("spend_30d").getDouble(i) < 60);
}
// (JShell ends a statement at a line break: keep the dot at the end of a continued line.)
var ts = fs.trainingSet(spine.build()).
    lookup(FeatureLookup.table("main.crm.customer_features").lookupKey("customer_id").timestampLookupKey("event_time")).
    label("churned").build();

// 3. Train inside a run, register, make it the champion.
var registry = ModelRegistry.of(ws);
var run = Tracking.of(ws).experiment("churn").start("quickstart");
var model = Trainer.on(ts).algorithm(Algorithm.randomForest().trees(30)).seed(1).run(run).fit();
var version = model.register(registry, "main.ml.churn");
run.close();
registry.setAlias("main.ml.churn", "champion", version.version());
System.out.println("QUICKSTART accuracy=" + model.evaluation().metric("accuracy") + " version=" + version.version());

// 4. Load the champion and score new keys: features are looked up automatically.
var champion = Predictor.load(ws, "models:/main.ml.churn@champion");
var scored = champion.score(Frame.of(Column.ofLongs("customer_id", 1, 2, 3)));
System.out.println(scored);
System.out.println("QUICKSTART scored=" + scored.rowCount());
ws.close();
/exit
