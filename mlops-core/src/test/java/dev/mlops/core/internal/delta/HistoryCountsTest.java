package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.internal.delta.KernelInternals.FileRows;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Logical row counts of a commit from its add/remove actions and their deletion vectors (the Spark
 * fixtures check the same on real logs in SparkTypesTablesTest).
 */
class HistoryCountsTest {

  private static long[] counts(List<FileRows> adds, List<FileRows> removes) {
    return KernelInternals.logicalRows(adds, removes);
  }

  @Test
  void a_deletion_vector_delete_counts_the_rows_the_new_vector_hides_not_the_whole_file() {
    // DELETE of 20 rows from a 20,000-row file: remove(f, no DV) + add(f, DV of 20)
    assertThat(counts(List.of(new FileRows("f", 20_000, 20)), List.of(new FileRows("f", 20_000, 0))))
        .containsExactly(0, 20);
    // a second DELETE on the same file: the vector grows from 20 to 35
    assertThat(counts(List.of(new FileRows("f", 20_000, 35)), List.of(new FileRows("f", 20_000, 20))))
        .containsExactly(0, 15);
  }

  @Test
  void a_deletion_vector_update_counts_the_updated_rows_once_added_and_once_removed() {
    assertThat(counts(List.of(new FileRows("f", 100, 25), new FileRows("new", 5, 0)),
        List.of(new FileRows("f", 100, 20)))).containsExactly(5, 5);
  }

  @Test
  void files_added_or_removed_whole_count_their_visible_rows() {
    assertThat(counts(List.of(new FileRows("a", 10, 0)), List.of())).containsExactly(10, 0);
    // removing a file that already had 4 rows deleted removes the 6 still visible
    assertThat(counts(List.of(), List.of(new FileRows("b", 10, 4)))).containsExactly(0, 6);
    // compaction (OPTIMIZE / REORG PURGE): visible rows move to a new file
    assertThat(counts(List.of(new FileRows("c", 6, 0)), List.of(new FileRows("b", 10, 4)))).containsExactly(6, 6);
    // a restore that makes a vector smaller shows rows again
    assertThat(counts(List.of(new FileRows("f", 100, 5)), List.of(new FileRows("f", 100, 20)))).containsExactly(15, 0);
  }
}
