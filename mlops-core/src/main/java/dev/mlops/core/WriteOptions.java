package dev.mlops.core;

import dev.mlops.core.internal.Errors;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How one write is made. Every write is one Delta commit whatever the options: with
 * {@link #withNewColumns()} the columns the table lacks are added in the same commit as the rows, so
 * a failed write changes neither schema nor data.
 *
 * <pre>{@code
 * TableSnapshot s = table.snapshot();
 * table.upsert(rows, List.of("id"), WriteOptions.defaults()
 *     .withNewColumns()               // add rows' columns the table lacks (nullable), same commit
 *     .basedOn(s)                     // plan on this snapshot (re-planned if another writer moved on)
 *     .tag("job", "nightly"));       // kept in the commit's info, see Commit#tags()
 * }</pre>
 *
 * @param addNewColumns add the data's columns the table lacks, as nullable columns, in the write's commit
 * @param basedOn the snapshot to plan on (saves a log load); the write is re-planned on the latest
 *     version when another writer committed since, and a write that finds nothing to do is confirmed
 *     against the latest version
 * @param tags key/value pairs stored in the commit's info (keys: letters, digits, '.', '_', '-')
 */
public record WriteOptions(boolean addNewColumns, Optional<TableSnapshot> basedOn, Map<String, String> tags) {
  private static final Pattern TAG_KEY = Pattern.compile("[A-Za-z0-9._-]{1,100}");

  /** Checks the tags and copies them. */
  public WriteOptions {
    Objects.requireNonNull(basedOn, "basedOn");
    Objects.requireNonNull(tags, "tags");
    for (Map.Entry<String, String> e : tags.entrySet()) {
      if (e.getKey() == null || !TAG_KEY.matcher(e.getKey()).matches()) {
        throw Errors.commitTagKeyAllowed(e.getKey());
      }
      if (e.getValue() == null) {
        throw Errors.commitTagNullValue(e.getKey());
      }
    }
    tags = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(tags));
  }

  /** No new columns, plan on the latest version, no tags. */
  public static WriteOptions defaults() {
    return new WriteOptions(false, Optional.empty(), Map.of());
  }

  /** The same options, adding the data's new columns in the write's commit. */
  public WriteOptions withNewColumns() {
    return new WriteOptions(true, basedOn, tags);
  }

  /** The same options, planning on this snapshot. */
  public WriteOptions basedOn(TableSnapshot snapshot) {
    return new WriteOptions(addNewColumns, Optional.of(Objects.requireNonNull(snapshot, "snapshot")), tags);
  }

  /** The same options with one more commit tag. */
  public WriteOptions tag(String key, String value) {
    Map<String, String> t = new LinkedHashMap<>(tags);
    t.put(key, value);
    return new WriteOptions(addNewColumns, basedOn, t);
  }
}
