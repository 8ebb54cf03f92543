package com.example.consumer;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs the consumer's program the way its own build would: in a test of the consumer project. */
class LoopTest {
  @TempDir Path dir;

  @Test
  void the_loop_runs_on_the_class_path_maven_resolved_from_the_published_poms() {
    Loop.main(new String[] {dir.resolve("lakehouse").toString()});
  }
}
