package dev.mlops.samples;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's Java code runs as printed: its JShell block through the real jshell, its minimal
 * program through the java source launcher, each in a temporary working directory.
 */
class ReadmeTest {
  @TempDir Path dir;

  @Test
  void the_jshell_taste_runs_line_by_line_in_jshell() throws Exception {
    String block = javaBlockAfter("## A taste (JShell)");
    Path script = dir.resolve("taste.jsh");
    // jshell prints no values when it runs a file: read the table again after the block to check it.
    Files.writeString(script, block + "var check = Workspace.open(java.nio.file.Path.of(\"lakehouse\"));\n"
        + "System.out.println(\"README TASTE rows=\" + check.tables().get(\"main.crm.customers\").read().load().rowCount()"
        + " + \" columns=\" + check.tables().get(\"main.crm.customers\").read().load().schema().names());\n"
        + "check.close();\n/exit\n");

    String out = run(List.of(tool("jshell"), "--class-path", System.getProperty("java.class.path"), "-R-Xmx1g",
        "--feedback", "normal", script.toString()));

    assertThat(out).as(out).doesNotContain("Error:").doesNotContain("Exception")
        .contains("README TASTE rows=3 columns=[id, city, spend, visits_7d]");
  }

  @Test
  void the_minimal_program_compiles_and_runs_the_loop() throws Exception {
    String block = javaBlockContaining("public class Churn");
    Path source = dir.resolve("Churn.java");
    Files.writeString(source, block);

    String out = run(List.of(tool("java"), "-Xmx1g", "--class-path", System.getProperty("java.class.path"),
        source.toString(), dir.resolve("lakehouse").toString()));

    assertThat(out).as(out).contains("accuracy ").doesNotContain("Exception");
    double accuracy = Double.parseDouble(out.lines().filter(l -> l.startsWith("accuracy ")).findFirst()
        .orElseThrow().substring("accuracy ".length()).trim());
    assertThat(accuracy).as("a label that is a threshold of the one feature").isGreaterThanOrEqualTo(0.9);
  }

  private String run(List<String> command) throws IOException, InterruptedException {
    Path out = dir.resolve("out-" + System.nanoTime() + ".txt");
    Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
        .redirectOutput(out.toFile()).start();
    p.getOutputStream().close();
    boolean finished = p.waitFor(4, TimeUnit.MINUTES);
    if (!finished) {
      p.destroyForcibly();
    }
    String text = Files.readString(out, StandardCharsets.UTF_8);
    assertThat(finished).as("finished; output:%n%s", text).isTrue();
    assertThat(p.exitValue()).as(text).isZero();
    return text;
  }

  private static String tool(String name) {
    return Path.of(System.getProperty("java.home"), "bin", name).toString();
  }

  private static List<String> javaBlocks() throws IOException {
    List<String> lines = Files.readAllLines(Path.of("..", "README.md").toAbsolutePath().normalize());
    List<String> blocks = new ArrayList<>();
    StringBuilder heading = new StringBuilder();
    StringBuilder block = null;
    for (String line : lines) {
      if (block == null && line.startsWith("## ")) {
        heading.setLength(0);
        heading.append(line);
      } else if (block == null && line.equals("```java")) {
        block = new StringBuilder();
      } else if (block != null && line.equals("```")) {
        blocks.add(heading + "\n" + block);
        block = null;
      } else if (block != null) {
        block.append(line).append('\n');
      }
    }
    return blocks;
  }

  private static String javaBlockAfter(String heading) throws IOException {
    return javaBlocks().stream().filter(b -> b.startsWith(heading + "\n")).findFirst()
        .map(b -> b.substring(heading.length() + 1)).orElseThrow(() -> new AssertionError("no block under " + heading));
  }

  private static String javaBlockContaining(String text) throws IOException {
    return javaBlocks().stream().filter(b -> b.contains(text)).findFirst()
        .map(b -> b.substring(b.indexOf('\n') + 1)).orElseThrow(() -> new AssertionError("no block with " + text));
  }
}
