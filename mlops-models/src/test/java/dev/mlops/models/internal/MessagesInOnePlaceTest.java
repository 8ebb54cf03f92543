package dev.mlops.models.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The models module's user-facing messages are built in {@link Errors}: no {@code throw new X("..")}
 * with a message written at the call site appears in its main sources again (as in core's test of the
 * same name).
 */
class MessagesInOnePlaceTest {
  /** {@code throw new Type(args);} (the statement ends a line) with the arguments in group 1. */
  static final Pattern THROW = Pattern.compile("throw\\s+new\\s+[\\w.]+\\s*\\((.*?)\\)\\s*;[ \\t]*(?://.*)?$",
      Pattern.DOTALL | Pattern.MULTILINE);

  static final Path SOURCES = Path.of("src/main/java/dev/mlops/models");

  @Test
  void no_exception_message_is_written_inline_outside_errors() throws IOException {
    assertThat(SOURCES.resolve("internal/Errors.java")).exists();
    assertThat(inlineMessages(SOURCES)).isEmpty();
  }

  @Test
  void the_scan_finds_an_inline_message() {
    assertThat(inlineIn("if (x) {\n  throw new IllegalArgumentException(\"port must be \"\n + p);\n}")).hasSize(1);
    assertThat(inlineIn("throw new X(name + \" is bad\", e);")).hasSize(1);
    assertThat(inlineIn("throw new dev.mlops.core.StorageException(\"Cannot read \" + f, e); // why")).hasSize(1);
    assertThat(inlineIn("default -> throw new IllegalStateException(\"cannot happen\");")).hasSize(1);
    assertThat(inlineIn("throw Errors.cannotRead(file, e);")).isEmpty();
    assertThat(inlineIn("throw new UncheckedIOException(e);")).isEmpty();
    assertThat(inlineIn("throw new X(\"a; b\" + c);\nint i = 0;")).hasSize(1);
  }

  /** Every inline message under {@code root}, as "file: statement", except in Errors. */
  static List<String> inlineMessages(Path root) throws IOException {
    List<String> found = new ArrayList<>();
    try (Stream<Path> files = Files.walk(root)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".java")).sorted().toList()) {
        String rel = root.relativize(f).toString().replace('\\', '/');
        if (rel.equals("internal/Errors.java")) {
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
