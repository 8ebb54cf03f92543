package dev.mlops.serving;

import dev.mlops.core.Workspace;
import dev.mlops.serving.internal.InferenceRecord;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

/** A process that logs records, flushes some, queues more and waits to be killed. */
public final class InferenceChild {
  private InferenceChild() {}

  static InferenceRecord record(int i) {
    return InferenceRecord.builder("req-" + i, Instant.now(), "127.0.0.1").clientRequestId("c-" + i)
        .finish(200, 1, ("{\"i\": " + i + "}").getBytes(), "{\"predictions\": [1]}".getBytes()).build(1 << 20);
  }

  public static void main(String[] args) throws Exception {
    int flushed = Integer.parseInt(args[1]);
    int queued = Integer.parseInt(args[2]);
    Workspace ws = Workspace.open(Path.of(args[0]));
    InferenceLog log = InferenceLog.builder(ws, "main.serving.crash").flushInterval(Duration.ofMinutes(10))
        .batchRows(100_000).build();
    for (int i = 0; i < flushed; i++) {
      log.offer(record(i));
    }
    log.flush();
    System.out.println("FLUSHED " + log.written());
    for (int i = flushed; i < flushed + queued; i++) {
      log.offer(record(i));
    }
    System.out.println("QUEUED " + log.accepted());
    System.out.flush();
    Thread.sleep(600_000);
  }
}
