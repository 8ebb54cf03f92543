package dev.mlops.monitor.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.Column;
import dev.mlops.core.DataType;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class ColumnProfileTest {

  static ColumnProfile profile(Column c) {
    ColumnProfile p = new ColumnProfile(c.name(), c.type());
    p.add(c, null, 0);
    return p;
  }

  @Test
  void small_numeric_profile_is_exact() {
    List<Object> v = Arrays.asList(1.0, 0.0, null, Double.NaN, 4.0, 4.0, 10.0);
    ColumnProfile p = profile(Column.of("x", DataType.DOUBLE, v));
    assertThat(p.count()).isEqualTo(7);
    assertThat(p.numNulls()).isEqualTo(1);
    assertThat(p.numNan()).isEqualTo(1);
    assertThat(p.numZeros()).isEqualTo(1);
    assertThat(p.distinctCount()).isEqualTo(4); // 0, 1, 4, 10 (NaN and null are not values)
    assertThat(p.avg()).isEqualTo(19.0 / 5);
    double m = 19.0 / 5;
    double var = ((1 - m) * (1 - m) + m * m + 2 * (4 - m) * (4 - m) + (10 - m) * (10 - m)) / 4;
    assertThat(p.stddev()).isCloseTo(Math.sqrt(var), within(1e-12));
    assertThat(p.min()).isZero();
    assertThat(p.max()).isEqualTo(10.0);
    assertThat(p.quantile(0.5)).isEqualTo(4.0);
    assertThat(p.quantiles(new double[] {0.25, 0.75})).containsExactly(1.0, 4.0);
    assertThat(p.valuesExact()).isTrue();
  }

  @Test
  void all_null_column_has_counts_and_no_statistics() {
    ColumnProfile p = profile(Column.nulls("x", DataType.LONG, 5));
    assertThat(p.count()).isEqualTo(5);
    assertThat(p.numNulls()).isEqualTo(5);
    assertThat(p.avg()).isNaN();
    assertThat(p.quantile(0.5)).isNaN();
    assertThat(p.distinctCount()).isZero();
  }

  @Test
  void large_numeric_profile_keeps_the_kll_rank_error_under_one_percent() {
    int n = 1_000_000;
    double[] x = new double[n];
    Random r = new Random(42);
    for (int i = 0; i < n; i++) {
      x[i] = Math.exp(r.nextGaussian());
    }
    ColumnProfile p = profile(Column.ofDoubles("x", x));
    assertThat(p.valuesExact()).isFalse();
    double[] sorted = x.clone();
    Arrays.sort(sorted);
    for (double q : new double[] {0.01, 0.05, 0.25, 0.5, 0.75, 0.95, 0.99}) {
      double est = p.quantile(q);
      // the true rank of the estimate must be within 1% of q
      int rank = Arrays.binarySearch(sorted, est);
      rank = rank < 0 ? -rank - 1 : rank;
      assertThat((double) rank / n).as("rank of q%.2f", q).isCloseTo(q, within(0.01));
    }
    // the exact moments stay exact
    assertThat(p.avg()).isCloseTo(Arrays.stream(x).average().orElseThrow(), within(1e-9));
    // distinct count by HLL: relative error well within 5%
    assertThat((double) p.distinctCount()).isCloseTo(n, within(0.05 * n));
  }

  @Test
  void merged_profiles_equal_the_profile_of_all_rows() {
    Random r = new Random(1);
    double[] a = r.doubles(5000).toArray();
    double[] b = r.doubles(7000).map(v -> v * 2).toArray();
    ColumnProfile pa = profile(Column.ofDoubles("x", a));
    pa.merge(profile(Column.ofDoubles("x", b)));
    double[] all = new double[12000];
    System.arraycopy(a, 0, all, 0, 5000);
    System.arraycopy(b, 0, all, 5000, 7000);
    ColumnProfile whole = profile(Column.ofDoubles("x", all));
    assertThat(pa.count()).isEqualTo(whole.count());
    assertThat(pa.avg()).isCloseTo(whole.avg(), within(1e-12));
    assertThat(pa.stddev()).isCloseTo(whole.stddev(), within(1e-12));
    assertThat(pa.quantile(0.5)).isEqualTo(whole.quantile(0.5));
    // both sides are past the exact limit: HLL estimates, within 2% of the truth (12,000 distinct)
    assertThat((double) pa.distinctCount()).isCloseTo(12_000, within(240.0));
    assertThat((double) whole.distinctCount()).isCloseTo(12_000, within(240.0));
  }

  @Test
  void strings_have_lengths_frequent_items_and_category_counts() {
    ColumnProfile p = profile(Column.ofStrings("c", "aa", "b", "aa", null, "ccc", "aa", "b"));
    assertThat(p.minLength()).isEqualTo(1);
    assertThat(p.maxLength()).isEqualTo(3);
    assertThat(p.avgLength()).isCloseTo(11.0 / 6, within(1e-12));
    assertThat(p.frequentItems(2)).containsExactly(Map.entry("aa", 3L), Map.entry("b", 2L));
    assertThat(p.categoryCounts()).containsOnly(Map.entry("aa", 3L), Map.entry("b", 2L), Map.entry("ccc", 1L));
  }

  @Test
  void high_cardinality_categories_switch_to_sketches_and_keep_heavy_hitters() {
    List<Object> v = new ArrayList<>();
    for (int i = 0; i < 30_000; i++) {
      v.add(i % 3 == 0 ? "hot" : "k" + i);
    }
    ColumnProfile p = profile(Column.of("c", DataType.STRING, v));
    assertThat(p.frequentItems(1).get(0).getKey()).isEqualTo("hot");
    Map<String, Long> counts = p.categoryCounts();
    assertThat(counts.values().stream().mapToLong(Long::longValue).sum()).isEqualTo(30_000);
    assertThat((double) p.distinctCount()).isCloseTo(20_001, within(0.05 * 20_001));
  }

  @Test
  void profiles_survive_write_and_read() throws IOException {
    Random r = new Random(3);
    for (ColumnProfile p : List.of(profile(Column.ofDoubles("x", r.doubles(50_000).toArray())),
        profile(Column.ofLongs("y", 1, 2, 2, 0)), profile(Column.ofStrings("s", "a", "b", null)))) {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      p.write(new DataOutputStream(bytes));
      ColumnProfile q = ColumnProfile.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
      assertThat(q.count()).isEqualTo(p.count());
      assertThat(q.distinctCount()).isEqualTo(p.distinctCount());
      if (p.kind() == ColumnProfile.Kind.NUMERIC) {
        // exact profiles come back exact; sketched ones keep the sketch's items (within its rank error)
        assertThat(q.quantile(0.3)).isCloseTo(p.quantile(0.3), within(p.valuesExact() ? 0.0 : 0.01));
        assertThat(q.ecdf().count()).isEqualTo(p.ecdf().count());
        assertThat(q.stddev()).isEqualTo(p.stddev());
      } else {
        assertThat(q.categoryCounts()).isEqualTo(p.categoryCounts());
      }
    }
  }
}
