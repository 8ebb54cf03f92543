#!/usr/bin/env bash
# Spark reads back what the SDK wrote (see README.md, "Read-back").
#   1. sdk/SdkTables.java (the SDK, from this checkout's classes) writes tables, changes copies of the
#      Spark fixtures, runs MonitoringSample, and records what the SDK reads of each;
#   2. Spark 4.0 + Delta 4.0, then Spark 3.5 + Delta 3.3, with default settings, read every table,
#      compare with the SDK's rows and run the manifest's queries; results go to readback/*.json.
# Usage: tools/spark-fixtures/readback.sh [WORK_DIR]     (needs network the first time: Spark from Maven)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
WORK=${1:-${TMPDIR:-/tmp}/mlops-spark-readback}
JAVA17=${JAVA17_HOME:-/usr/lib/jvm/java-17-openjdk-amd64}
rm -rf "$WORK" && mkdir -p "$WORK"

cd "$ROOT"
# the SDK's classes and runtime classpath (samples depends on every module it needs)
mvn -B -q -o -pl samples -am compile dependency:build-classpath -Dmdep.outputFile="$WORK/cp.txt" \
  -Dmdep.includeScope=runtime -Dinvoker.skip=true
CP="$ROOT/samples/target/classes:$ROOT/mlops-core/target/classes:$ROOT/mlops-features/target/classes"
CP="$CP:$ROOT/mlops-models/target/classes:$ROOT/mlops-monitor/target/classes:$(cat "$WORK/cp.txt")"
"$JAVA17/bin/java" -Xmx2g -cp "$CP" "$HERE/sdk/SdkTables.java" "$WORK/sdk" \
  "$ROOT/mlops-core/src/test/resources/spark-tables"

cd "$HERE"
mkdir -p readback
JAVA_HOME=$JAVA17 mvn -B -q clean compile exec:exec -Dfixtures.mode=readback -Dfixtures.dir="$WORK/sdk" \
  -Dfixtures.arg="$HERE/readback/spark-4.0.json"
JAVA_HOME=$JAVA17 mvn -B -q -Pspark35 clean compile exec:exec -Dfixtures.mode=readback -Dfixtures.dir="$WORK/sdk" \
  -Dfixtures.arg="$HERE/readback/spark-3.5.json"
echo "Spark's answers: $HERE/readback/spark-4.0.json and spark-3.5.json"
