package dev.mlops.monitor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Every statistic against scipy's values (golden/make_golden.py, numeric.csv, categorical.csv). */
class DriftStatisticsGoldenTest {

  static List<Map<String, String>> read(String name) throws IOException {
    try (InputStream in = DriftStatisticsGoldenTest.class.getResourceAsStream("/golden/" + name);
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
      List<String> lines = r.lines().filter(l -> !l.startsWith("#")).toList();
      String[] header = lines.get(0).split(",", -1);
      List<Map<String, String>> rows = new ArrayList<>();
      for (String line : lines.subList(1, lines.size())) {
        String[] cells = line.split(",", -1);
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 0; i < header.length; i++) {
          row.put(header[i], cells[i]);
        }
        rows.add(row);
      }
      return rows;
    }
  }

  static Stream<Map<String, String>> numeric() throws IOException {
    return read("numeric.csv").stream();
  }

  static Stream<Map<String, String>> categorical() throws IOException {
    return read("categorical.csv").stream();
  }

  static double[] doubles(String s) {
    return s.isBlank() ? new double[0] : Arrays.stream(s.trim().split(" ")).mapToDouble(DriftStatisticsGoldenTest::num).toArray();
  }

  static double num(String s) {
    return s.equals("nan") ? Double.NaN : Double.parseDouble(s);
  }

  /** Relative tolerance with an absolute floor, NaN equal to NaN. */
  static void close(String what, double actual, String expected, double rel) {
    double e = num(expected);
    if (Double.isNaN(e)) {
      assertThat(actual).as(what).isNaN();
      return;
    }
    assertThat(actual).as(what).isCloseTo(e, within(Math.max(Math.abs(e) * rel, 1e-300)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("numeric")
  void numeric_statistics_match_scipy(Map<String, String> c) {
    String name = c.get("case");
    double[] ref = doubles(c.get("reference"));
    double[] cur = doubles(c.get("current"));
    TestResult ks = DriftStatistics.ks(ref, cur);
    close(name + " ks D", ks.statistic(), c.get("ks_stat"), 1e-12);
    long n = Arrays.stream(ref).filter(x -> !Double.isNaN(x)).count();
    long m = Arrays.stream(cur).filter(x -> !Double.isNaN(x)).count();
    if (n * m > 0 && n * m <= DriftStatistics.KS_EXACT_MAX_PRODUCT) {
      close(name + " ks exact p", ks.pvalue(), c.get("ks_p_exact"), 1e-9);
    } else {
      close(name + " ks asymptotic p", ks.pvalue(), c.get("ks_p_asymp"), 1e-9);
    }
    close(name + " wasserstein", DriftStatistics.wasserstein(ref, cur), c.get("wasserstein"), 1e-12);
    double std = num(c.get("std_ref"));
    double w = num(c.get("wasserstein"));
    double normed = DriftStatistics.wassersteinNormalized(ref, cur);
    if (Double.isNaN(w)) {
      assertThat(normed).isNaN();
    } else {
      assertThat(normed).as(name + " normalized W1").isCloseTo(w / Math.max(std, 1e-3), within(1e-9 * (1 + w / Math.max(std, 1e-3))));
    }
    close(name + " psi 10 bins", DriftStatistics.psi(ref, cur, 10), c.get("psi_10"), 1e-10);
    close(name + " psi 5 bins", DriftStatistics.psi(ref, cur, 5), c.get("psi_5"), 1e-10);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("categorical")
  void categorical_statistics_match_scipy(Map<String, String> c) {
    String name = c.get("case");
    List<String> ref = c.get("reference").isBlank() ? List.of() : List.of(c.get("reference").split(" "));
    List<String> cur = c.get("current").isBlank() ? List.of() : List.of(c.get("current").split(" "));
    List<String> cats = new ArrayList<>(new TreeSet<String>() {{ addAll(ref); addAll(cur); }});
    long[] rc = cats.stream().mapToLong(k -> ref.stream().filter(k::equals).count()).toArray();
    long[] cc = cats.stream().mapToLong(k -> cur.stream().filter(k::equals).count()).toArray();
    TestResult chi = DriftStatistics.chiSquared(rc, cc);
    close(name + " chi2", chi.statistic(), c.get("chi2_stat"), 1e-12);
    close(name + " chi2 p", chi.pvalue(), c.get("chi2_p"), 1e-9);
    close(name + " js", DriftStatistics.jsDistance(rc, cc), c.get("js"), 1e-12);
    close(name + " tv", DriftStatistics.tvDistance(rc, cc), c.get("tv"), 1e-12);
    close(name + " linf", DriftStatistics.lInfinityDistance(rc, cc), c.get("linf"), 1e-12);
  }

  @Test
  void category_with_zero_on_both_sides_changes_nothing() {
    TestResult a = DriftStatistics.chiSquared(new long[] {10, 20}, new long[] {20, 10});
    TestResult b = DriftStatistics.chiSquared(new long[] {10, 0, 20}, new long[] {20, 0, 10});
    assertThat(b).isEqualTo(a);
  }

  @Test
  void large_samples_use_the_asymptotic_law_and_agree_with_scipy_default_roughly() throws IOException {
    Map<String, String> c = read("numeric.csv").stream().filter(r -> r.get("case").equals("large_asymptotic"))
        .findFirst().orElseThrow();
    TestResult ks = DriftStatistics.ks(doubles(c.get("reference")), doubles(c.get("current")));
    // scipy's default here is kstwo(round(en)); the limit law differs only in the third decimal
    assertThat(ks.pvalue()).isCloseTo(num(c.get("ks_p_scipy_auto")), within(0.01));
  }

  @Test
  void identical_samples_have_no_drift_and_psi_is_zero() {
    double[] x = {5, 1, 4, 2, 3, 3, 3, 9};
    assertThat(DriftStatistics.ks(x, x)).isEqualTo(new TestResult(0.0, 1.0));
    assertThat(DriftStatistics.psi(x, x, 10)).isZero();
    assertThat(DriftStatistics.wasserstein(x, x)).isZero();
  }
}
