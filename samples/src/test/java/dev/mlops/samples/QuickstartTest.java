package dev.mlops.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Runs samples/quickstart.jsh through the real jshell of the running JDK. */
class QuickstartTest {
  @TempDir Path dir;

  @Test
  void the_jshell_quickstart_trains_registers_and_scores() throws Exception {
    Path script = Path.of("quickstart.jsh").toAbsolutePath();
    assertThat(script).exists();
    Path jshell = Path.of(System.getProperty("java.home"), "bin", "jshell");
    Path out = dir.resolve("jshell.out");
    Process p = new ProcessBuilder(List.of(jshell.toString(), "--class-path", System.getProperty("java.class.path"),
        "-R-Dmlops.workspace=" + dir.resolve("lake"), "-R-Xmx1g", "--feedback", "concise", script.toString()))
        .redirectErrorStream(true).redirectOutput(out.toFile()).redirectInput(ProcessBuilder.Redirect.PIPE).start();
    p.getOutputStream().close();
    boolean finished = p.waitFor(4, TimeUnit.MINUTES);
    String text = Files.readString(out, StandardCharsets.UTF_8);
    if (!finished) {
      p.destroyForcibly();
    }
    assertThat(finished).as("jshell finished; output:%n%s", text).isTrue();
    assertThat(text).as(text).contains("QUICKSTART accuracy=").contains("QUICKSTART scored=3").doesNotContain("Error:")
        .doesNotContain("Exception");
    assertThat(p.exitValue()).as(text).isZero();
    double accuracy = Double.parseDouble(text.replaceAll("(?s).*QUICKSTART accuracy=([0-9.]+).*", "$1"));
    assertThat(accuracy).as("the label is a threshold of spend_30d: %s", text).isGreaterThanOrEqualTo(0.9);
  }
}
