package dev.mlops.core.internal.delta;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.CorruptTableException;
import dev.mlops.core.UnsupportedTableFeatureException;
import dev.mlops.core.internal.Errors;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks a local table's Delta log for damage Kernel does not report (an empty or truncated latest
 * commit file), and finds the file behind an error Kernel reports without naming one. It only
 * reads the log; repairing is the user's decision, which the messages explain.
 */
final class LogCheck {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Pattern COMMIT = Pattern.compile("(\\d{20})\\.json");
  private static final Pattern CHECKPOINT = Pattern.compile("(\\d{20})\\.checkpoint(\\..*)?\\.parquet");
  /** The highest reader protocol version Kernel 4.4 reads. */
  private static final int MAX_READER_VERSION = 3;

  private LogCheck() {}

  static Path commitFile(Path table, long version) {
    return table.resolve("_delta_log").resolve(String.format("%020d.json", version));
  }

  /**
   * Checks the commit file of the latest version: not empty, and its last line a whole JSON object
   * (a killed or misbehaving writer leaves a truncated or garbage file).
   */
  static void checkLatest(String display, Path table, long version) {
    Path f = commitFile(table, version);
    if (!Files.exists(f)) {
      return; // compacted away behind a checkpoint
    }
    Optional<String> problem = problemOfTail(f);
    if (problem.isPresent()) {
      throw damaged(display, version, f, problem.get(), null);
    }
  }

  private static Optional<String> problemOfTail(Path f) {
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
      long size = ch.size();
      if (size == 0) {
        return Optional.of("it is empty (0 bytes)");
      }
      int n = (int) Math.min(size, 64 * 1024);
      ByteBuffer buf = ByteBuffer.allocate(n);
      ch.read(buf, size - n);
      String tail = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8);
      String[] lines = tail.split("\n");
      String last = "";
      for (int i = lines.length - 1; i >= 0; i--) {
        if (!lines[i].isBlank()) {
          last = lines[i];
          break;
        }
      }
      if (n < size && lines.length < 2) {
        return problemOfWhole(f); // one line longer than the tail: parse the whole file
      }
      return parseProblem(last);
    } catch (IOException e) {
      return Optional.of("it cannot be read (" + e.getMessage() + ")");
    }
  }

  private static Optional<String> parseProblem(String line) {
    try {
      JsonNode n = JSON.readTree(line);
      if (n == null || !n.isObject()) {
        return Optional.of("a line is not a JSON object (the file is truncated or overwritten with other data)");
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("a line is not valid JSON (the file is truncated or overwritten with other data)");
    }
  }

  private static Optional<String> problemOfWhole(Path f) {
    try {
      List<String> lines = Files.readAllLines(f, StandardCharsets.UTF_8);
      if (lines.stream().allMatch(String::isBlank)) {
        return Optional.of("it is empty");
      }
      for (String l : lines) {
        if (!l.isBlank()) {
          Optional<String> p = parseProblem(l);
          if (p.isPresent()) {
            return p;
          }
        }
      }
      return Optional.empty();
    } catch (IOException e) {
      return Optional.of("it cannot be read as UTF-8 text (" + e.getClass().getSimpleName() + ")");
    }
  }

  /**
   * Finds what is wrong with a local table's log after Kernel failed to load it: a gap in the
   * versions, a damaged commit file, no metadata or protocol, metadata without a schema, or a reader
   * version the SDK does not support. Empty when the log looks sound.
   */
  static Optional<RuntimeException> diagnose(String display, Path table, Throwable cause) {
    Path log = table.resolve("_delta_log");
    TreeMap<Long, Path> commits = new TreeMap<>();
    long checkpoint = -1;
    try (Stream<Path> s = Files.list(log)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        String n = p.getFileName().toString();
        Matcher m = COMMIT.matcher(n);
        if (m.matches()) {
          commits.put(Long.parseLong(m.group(1)), p);
        }
        Matcher c = CHECKPOINT.matcher(n);
        if (c.matches()) {
          checkpoint = Math.max(checkpoint, Long.parseLong(c.group(1)));
        }
      }
    } catch (IOException e) {
      return Optional.empty();
    }
    if (commits.isEmpty()) {
      return Optional.empty();
    }
    long start = checkpoint >= 0 ? checkpoint + 1 : 0;
    long expect = checkpoint >= 0 ? checkpoint + 1 : commits.firstKey();
    if (checkpoint < 0 && commits.firstKey() > 0) {
      return Optional.of(damaged(display, 0L, commitFile(table, 0), "the log starts at version "
          + commits.firstKey() + " without a checkpoint, so versions 0.." + (commits.firstKey() - 1)
          + " are missing", cause));
    }
    boolean protocol = checkpoint >= 0;
    boolean metadata = checkpoint >= 0;
    for (var e : commits.tailMap(start).entrySet()) {
      long v = e.getKey();
      if (v != expect) {
        return Optional.of(Errors.logGap(display, expect, commitFile(table, expect).toString(),
            commitFile(table, expect), v, cause));
      }
      expect = v + 1;
      Optional<String> problem = problemOfWhole(e.getValue());
      if (problem.isPresent()) {
        return Optional.of(damaged(display, v, e.getValue(), problem.get(), cause));
      }
      try {
        for (String line : Files.readAllLines(e.getValue(), StandardCharsets.UTF_8)) {
          if (line.isBlank()) {
            continue;
          }
          JsonNode n = JSON.readTree(line);
          if (n.has("protocol")) {
            protocol = true;
            int reader = n.get("protocol").path("minReaderVersion").asInt(1);
            if (reader > MAX_READER_VERSION) {
              return Optional.of(Errors.readerVersionTooNew(display, reader, v, e.getValue(), MAX_READER_VERSION,
                  cause));
            }
          }
          if (n.has("metaData")) {
            metadata = true;
            JsonNode schema = n.get("metaData").get("schemaString");
            if (schema == null || schema.isNull() || schema.asText().isBlank()) {
              return Optional.of(damaged(display, v, e.getValue(), "its metadata action has no schema"
                  + " (schemaString is missing)", cause));
            }
          }
        }
      } catch (IOException ex) {
        return Optional.of(damaged(display, v, e.getValue(), "it cannot be parsed (" + ex.getMessage() + ")", cause));
      }
    }
    if (!protocol || !metadata) {
      Path first = commits.firstEntry().getValue();
      return Optional.of(Errors.noProtocolOrMetadata(display, commits.firstKey(), first.toString(), protocol, metadata,
          cause));
    }
    return Optional.empty();
  }

  static CorruptTableException damaged(String display, long version, Path file, String problem, Throwable cause) {
    return Errors.damagedCommit(display, version, file.toString(), file, problem, (version - 1), cause);
  }

  /** A data file the log references is missing. */
  static CorruptTableException missingDataFile(String display, long version, String file, boolean latest,
      Throwable cause) {
    return Errors.missingDataFile(display, version, file, latest, cause);
  }
}
