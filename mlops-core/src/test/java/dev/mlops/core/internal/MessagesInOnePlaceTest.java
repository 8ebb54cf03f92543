package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every library module's user-facing messages are built in its own {@code internal/Errors} (core's
 * {@link Errors}, and the same class in features, models, monitor and serving): no
 * {@code throw new X("..")} with a message written at the call site appears in their main sources
 * again. One scan for all modules, from the core module's tests (the sibling modules' sources are
 * read from the checkout).
 */
class MessagesInOnePlaceTest {
  /** {@code throw new Type(args);} (the statement ends a line) with the arguments in group 1. */
  static final Pattern THROW = Pattern.compile("throw\\s+new\\s+[\\w.]+\\s*\\((.*?)\\)\\s*;[ \\t]*(?://.*)?$",
      Pattern.DOTALL | Pattern.MULTILINE);

  /** Module folder to the package folder under {@code src/main/java/dev/mlops/}. */
  static final Map<String, String> MODULES = Map.of("mlops-core", "core", "mlops-features", "features",
      "mlops-models", "models", "mlops-monitor", "monitor", "mlops-serving", "serving");

  /** Files (module folder + "/" + path under the package) whose messages are still inline. */
  static final Set<String> NOT_YET = Set.of();

  @Test
  void no_exception_message_is_written_inline_outside_errors() throws IOException {
    List<String> found = new ArrayList<>();
    for (Map.Entry<String, String> m : new TreeMap<>(MODULES).entrySet()) {
      Path sources = Path.of("..", m.getKey(), "src/main/java/dev/mlops", m.getValue());
      assertThat(sources.resolve("internal/Errors.java")).as("%s keeps its messages in internal/Errors", m.getKey())
          .exists();
      for (String f : inlineMessages(sources, NOT_YET, m.getKey() + "/")) {
        found.add(m.getKey() + "/" + f);
      }
    }
    assertThat(found).isEmpty();
  }

  @Test
  void the_scan_finds_an_inline_message() {
    assertThat(inlineIn("if (x) {\n  throw new IllegalArgumentException(\"port must be \"\n + p);\n}")).hasSize(1);
    assertThat(inlineIn("throw new X(name + \" is bad\", e);")).hasSize(1);
    assertThat(inlineIn("throw new dev.mlops.core.StorageException(\"Cannot read \" + f, e); // why")).hasSize(1);
    assertThat(inlineIn("default -> throw new IllegalStateException(\"cannot happen\");")).hasSize(1);
    assertThat(inlineIn("throw Errors.badPort(p);")).isEmpty();
    assertThat(inlineIn("throw new UncheckedIOException(e);")).isEmpty();
    assertThat(inlineIn("throw new X(\"a; b\" + c);\nint i = 0;")).hasSize(1);
  }

  /**
   * Every inline message under {@code root}, as "file: statement", except in Errors and the files of
   * {@code skip} (named {@code prefix} + path under root).
   */
  static List<String> inlineMessages(Path root, Set<String> skip, String prefix) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String rel = root.relativize(f).toString().replace('\\', '/');
        if (rel.equals("internal/Errors.java") || skip.contains(prefix + rel)) {
          continue;
        }
        for (String t : inlineIn(Files.readString(f, StandardCharsets.UTF_8))) {
          found.add(rel + ": " + t);
        }
      }
    }
    return found;
  }

  static List<String> inlineIn(String source) {
    List<String> found = new ArrayList<>();
    Matcher m = THROW.matcher(source);
    while (m.find()) {
      if (m.group(1).contains("\"")) {
        found.add(m.group().replaceAll("\\s+", " "));
      }
    }
    return found;
  }
}
