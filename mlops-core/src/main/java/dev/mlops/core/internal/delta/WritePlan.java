package dev.mlops.core.internal.delta;

import dev.mlops.core.Frame;
import io.delta.kernel.data.Row;
import io.delta.kernel.types.StructType;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What one write does to one snapshot, as {@link WritePlanner} made it: files to remove, rows to
 * write, the counts the commit reports, and a schema or property change carried by the same commit.
 */
final class WritePlan {
  /** Scan files (add actions of the planned-on snapshot) the commit removes. */
  final List<Row> scanFilesToRemove = new ArrayList<>();
  /** Rows written as new data files, or null. */
  Frame data;
  long inserted;
  long updated;
  long deleted;
  /** The table's new schema (added columns), or null. */
  StructType newSchema;
  /** Table properties set, or null. */
  Map<String, String> newProperties;
  /** True when the write has nothing to change (to be confirmed on the latest version). */
  boolean noop;

  /** True when committing the plan would change nothing at all. */
  boolean changesNothing() {
    return noop && newSchema == null && newProperties == null;
  }

  /** True when the commit changes the table's metadata (and so may not be rebased as a blind append). */
  boolean changesMetadata() {
    return newSchema != null || newProperties != null;
  }
}
