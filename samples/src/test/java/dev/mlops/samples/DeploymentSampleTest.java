package dev.mlops.samples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.models.JobRunState;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DeploymentSampleTest {
  @TempDir Path dir;

  @Test
  void the_challenger_is_evaluated_approved_deployed_and_rolled_back() {
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    DeploymentSample.Result r = DeploymentSample.run(dir, new PrintStream(buf, true, StandardCharsets.UTF_8));
    String printed = buf.toString(StandardCharsets.UTF_8);

    assertThat(r.championBefore()).isEqualTo(1);
    assertThat(r.challenger()).isEqualTo(2);
    assertThat(r.waiting().state()).isEqualTo(JobRunState.APPROVAL);
    assertThat(r.waiting().currentTask()).hasValue("approval");
    double auc = r.waiting().task("evaluate").metrics().get("auc");
    double championAuc = r.waiting().task("evaluate").metrics().get("champion.auc");
    assertThat(auc).isGreaterThan(championAuc + 0.05);
    assertThat(r.finished().state()).isEqualTo(JobRunState.SUCCEEDED);
    assertThat(r.finished().task("approval").approver()).hasValue("ana@example.com");
    assertThat(r.championAfterDeploy()).isEqualTo(2);
    assertThat(r.answeredBy()).isEqualTo(2);
    assertThat(r.championAfterRollback()).isEqualTo(1);
    assertThat(r.answeredAfterRollback()).isEqualTo(1); // the endpoint bound to @champion followed both moves
    assertThat(printed).contains("waiting for tag 'approval'", "Approved by ana@example.com",
        "'champion' moved from version 1 to version 2; 'previous' -> version 1", "champion is version 1 again");
  }
}
