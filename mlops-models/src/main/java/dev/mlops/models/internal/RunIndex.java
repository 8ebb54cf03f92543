package dev.mlops.models.internal;

import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.mlops.core.internal.FileStore;
import dev.mlops.core.internal.Json;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;

/**
 * The search index of one experiment: a directory of immutable JSON-lines segment files, each holding
 * run summaries. A run adds a small segment when it starts, when it ends and when a finished run
 * changes; the summary with the highest {@code rev} for a run id wins, so duplicates are harmless.
 *
 * <p>Why it is safe without a global lock: segments are created whole (temp file + atomic move) under
 * unique names and never modified. Compaction (one process at a time, under a file lock) writes
 * merged segments first and deletes the merged inputs after; a reader that lists a segment which then
 * disappears lists again, and finds its content in the merged segment. Parsed segments are cached
 * by file name, so a warm search only lists the directory and parses what is new.
 */
public final class RunIndex {
  /** Small segments tolerated before a search compacts them. */
  static final int COMPACT_THRESHOLD = 256;
  /** Runs per merged segment (merged segments are parsed in parallel). */
  static final int MERGED_CHUNK = 20_000;

  private static final ObjectWriter LINE_WRITER = Json.MAPPER.writer()
      .without(SerializationFeature.INDENT_OUTPUT).without(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
  private static final ObjectReader LINE_READER = Json.MAPPER.readerFor(IndexLine.class);

  /**
   * One line of a segment: a run summary whose provenance tags ({@code mlops.*}, the same for every
   * run of a process) may be replaced by a reference into the segment's first line, which then holds
   * the distinct provenance tag sets. Merged segments are written that way (about a quarter of the
   * size, so a cold search over 100,000 runs parses a quarter of the bytes); single-run segments and
   * older segments hold plain summaries, which read the same.
   */
  @com.fasterxml.jackson.annotation.JsonInclude(com.fasterxml.jackson.annotation.JsonInclude.Include.NON_NULL)
  record IndexLine(String id, String experiment, String name, String status, long start, Long end, String parent,
      Map<String, String> params, Map<String, MetricPoint> metrics, Map<String, String> tags, long rev,
      Integer sharedTags, List<Map<String, String>> sharedTagSets) {}

  private static final String SHARED_PREFIX = "mlops.";

  private final FileStore dir;
  private final Map<String, List<RunSummary>> cache = new ConcurrentHashMap<>();

  /** An index in a local directory. */
  public RunIndex(java.nio.file.Path dir) {
    this(new dev.mlops.core.internal.LocalFileStore(dir));
  }

  /** An index in a directory of a store (local or remote). */
  public RunIndex(FileStore dir) {
    this.dir = dir;
  }

  /** Adds a summary as a new small segment. */
  public void add(RunSummary s) {
    write("s-" + System.currentTimeMillis() + "-" + UUID.randomUUID() + ".jsonl", List.of(s));
  }

  /** The latest summary of every indexed run, by run id. */
  public Map<String, RunSummary> load() {
    for (int attempt = 0; ; attempt++) {
      List<String> names = dir.list("");
      try {
        List<List<RunSummary>> parts = names.parallelStream().map(this::segment).collect(Collectors.toList());
        cache.keySet().retainAll(new HashSet<>(names));
        Map<String, RunSummary> latest = new HashMap<>();
        for (List<RunSummary> part : parts) {
          for (RunSummary s : part) {
            latest.merge(s.id(), s, (a, b) -> a.rev() >= b.rev() ? a : b);
          }
        }
        maybeCompact(names);
        return latest;
      } catch (SegmentGone e) {
        if (attempt > 100) {
          throw Errors.runIndexUnstable(dir, e.getCause());
        }
        // a concurrent compaction merged and removed it: list again
      }
    }
  }

  private List<RunSummary> segment(String name) {
    List<RunSummary> cached = cache.get(name);
    if (cached != null) {
      return cached;
    }
    List<RunSummary> parsed = new ArrayList<>();
    try {
      byte[] bytes = dir.read(name).orElseThrow(() -> new SegmentGone(null));
      int end = bytes.length;
      while (end > 0 && bytes[end - 1] != '\n') {
        end--; // segments are written whole; this only guards against a foreign partial file
      }
      // Runs of one process share their provenance tags: share equal maps so that a parsed index of
      // 100,000 runs stays small (less to keep, less for the garbage collector to copy).
      Map<Map<String, String>, Map<String, String>> shared = new HashMap<>();
      List<Map<String, String>> sets = List.of();
      try (com.fasterxml.jackson.databind.MappingIterator<IndexLine> it = LINE_READER.readValues(bytes, 0, end)) {
        while (it.hasNext()) {
          IndexLine l = it.next();
          if (l.sharedTagSets() != null) {
            sets = l.sharedTagSets();
            continue;
          }
          Map<String, String> tags = l.tags() == null ? Map.of() : l.tags();
          if (l.sharedTags() != null) {
            Map<String, String> base = sets.get(l.sharedTags());
            if (tags.isEmpty()) {
              tags = base;
            } else {
              Map<String, String> all = new HashMap<>(base);
              all.putAll(tags);
              tags = all;
            }
          }
          tags = shared.computeIfAbsent(tags, t -> t);
          parsed.add(new RunSummary(l.id(), l.experiment(), l.name(), l.status(), l.start(), l.end(), l.parent(),
              l.params(), l.metrics(), tags, l.rev()));
        }
      }
    } catch (IOException e) {
      throw Errors.cannotReadIndexSegment(dir.uri(name), e);
    }
    List<RunSummary> result = List.copyOf(parsed);
    cache.put(name, result);
    return result;
  }

  /** Compacts when many small segments piled up (cheap otherwise: one directory listing). */
  public void compactIfNeeded() {
    if (maybeCompact(dir.list(""))) {
      cache.clear(); // a writer does not need the parsed index in memory
    }
  }

  private boolean maybeCompact(List<String> names) {
    long small = names.stream().filter(n -> n.startsWith("s-")).count();
    if (small < COMPACT_THRESHOLD) {
      return false;
    }
    // Remote stores have no OS try-lock: their segments are not compacted (searches read more files).
    return dir.localPath(".compact.lock").map(p -> Locks.tryWithLock(p, this::compact)).orElse(false);
  }

  /** Merges every segment into as few merged segments as possible, then deletes the inputs. */
  public void compact() {
    for (int attempt = 0; attempt < 100; attempt++) {
      List<String> names = dir.list("");
      Map<String, RunSummary> latest = new HashMap<>();
      try {
        for (String n : names) {
          for (RunSummary s : segment(n)) {
            latest.merge(s.id(), s, (a, b) -> a.rev() >= b.rev() ? a : b);
          }
        }
      } catch (SegmentGone e) {
        continue;
      }
      List<RunSummary> all = new ArrayList<>(latest.values());
      all.sort((a, b) -> Long.compare(a.start(), b.start()));
      for (int i = 0; i < all.size(); i += MERGED_CHUNK) {
        write("m-" + System.currentTimeMillis() + "-" + UUID.randomUUID() + ".jsonl",
            all.subList(i, Math.min(all.size(), i + MERGED_CHUNK)));
      }
      dir.localPath("").ifPresent(Files2::syncDir);
      for (String n : names) {
        try {
          dir.delete(n);
        } catch (RuntimeException ignored) {
          // merged already; a leftover input is read again and merged by rev
        }
        cache.remove(n);
      }
      return;
    }
  }

  private void write(String name, Collection<RunSummary> summaries) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256 * summaries.size());
    try {
      Map<Map<String, String>, Integer> refs = new java.util.LinkedHashMap<>();
      List<IndexLine> lines = new ArrayList<>(summaries.size());
      for (RunSummary s : summaries) {
        Map<String, String> sharedPart = new java.util.TreeMap<>();
        Map<String, String> own = new java.util.TreeMap<>();
        if (s.tags() != null) {
          s.tags().forEach((k, v) -> (k.startsWith(SHARED_PREFIX) ? sharedPart : own).put(k, v));
        }
        Integer ref = null;
        if (summaries.size() > 1 && !sharedPart.isEmpty()) {
          ref = refs.computeIfAbsent(sharedPart, k -> refs.size());
        } else {
          own.putAll(sharedPart);
        }
        lines.add(new IndexLine(s.id(), s.experiment(), s.name(), s.status(), s.start(), s.end(), s.parent(),
            s.params(), s.metrics(), own, s.rev(), ref, null));
      }
      if (!refs.isEmpty()) {
        out.write(LINE_WRITER.writeValueAsBytes(new IndexLine(null, null, null, null, 0, null, null, null, null, null,
            0, null, new ArrayList<>(refs.keySet()))));
        out.write('\n');
      }
      for (IndexLine l : lines) {
        out.write(LINE_WRITER.writeValueAsBytes(l));
        out.write('\n');
      }
    } catch (IOException e) {
      throw Errors.cannotEncodeRunSummaries(dir, e);
    }
    dir.write(name, out.toByteArray());
  }


  /** Number of segment files (for tests). */
  public int segmentCount() {
    return dir.list("").size();
  }

  /** Ids the index knows, for tests. */
  public Set<String> ids() {
    return load().keySet();
  }

  private static final class SegmentGone extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SegmentGone(Throwable cause) {
      super(cause);
    }
  }
}
