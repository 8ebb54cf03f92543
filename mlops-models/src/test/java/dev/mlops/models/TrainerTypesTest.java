package dev.mlops.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.Frame;
import java.util.Random;
import dev.mlops.core.Workspace;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The trainer takes every numeric Delta type and TIMESTAMP_NTZ, and refuses the others by name. */
class TrainerTypesTest {
  @TempDir Path dir;

  static Frame rows(int n, long seed) {
    Random r = new Random(seed);
    float[] f = new float[n];
    short[] s = new short[n];
    byte[] b = new byte[n];
    long[] dec = new long[n];
    long[] ntz = new long[n];
    boolean[] y = new boolean[n];
    for (int i = 0; i < n; i++) {
      f[i] = (float) r.nextGaussian();
      s[i] = (short) r.nextInt(1000);
      b[i] = (byte) r.nextInt(100);
      dec[i] = r.nextInt(100_000); // 0.00 .. 999.99
      ntz[i] = 1_700_000_000_000_000L + r.nextInt(1_000_000) * 3_600_000_000L;
      y[i] = f[i] + dec[i] / 50_000.0 > 1.0;
    }
    return Frame.of(Column.ofFloats("f", f), Column.ofShorts("s", s), Column.ofBytes("b", b),
        Column.ofDecimals("amount", ColumnType.decimal(7, 2), dec, null), Column.ofTimestampsNtz("seen", ntz),
        Column.ofBooleans("y", y));
  }

  @Test
  void float_short_byte_decimal_and_ntz_columns_train_and_score() {
    Frame train = rows(600, 1);
    TrainedModel m = Trainer.on(train).label("y").algorithm(Algorithm.logisticRegression()).fit();
    assertThat(m.evaluation().metric("accuracy")).isGreaterThan(0.85);
    Frame test = rows(50, 2);
    Frame p = m.predict(test);
    assertThat(p.rowCount()).isEqualTo(50);
    // the signature (with decimal(7,2)) survives registration and a load from the registry
    try (Workspace ws = Workspace.open(dir)) {
      ModelVersion v = m.register(ModelRegistry.of(ws), "main.ml.typed");
      Predictor loaded = Predictor.load(ws, "models:/main.ml.typed/" + v.version());
      assertThat(loaded.signature().inputs()).anySatisfy(f -> {
        assertThat(f.name()).isEqualTo("amount");
        assertThat(f.columnType()).isEqualTo(ColumnType.decimal(7, 2));
      });
      assertThat(loaded.predict(test)).isEqualTo(p);
    }
  }

  @Test
  void a_binary_feature_is_refused_by_name_with_how_to_fix() {
    Frame train = rows(50, 3);
    byte[][] blobs = new byte[50][];
    for (int i = 0; i < 50; i++) {
      blobs[i] = new byte[] {(byte) i};
    }
    Frame withBlob = Frame.of(train.column("f"), Column.of("blob", ColumnType.of(dev.mlops.core.DataType.BINARY),
        java.util.Arrays.asList((Object[]) blobs)), train.column("y"));
    assertThatThrownBy(() -> Trainer.on(withBlob).label("y").algorithm(Algorithm.logisticRegression()).fit())
        .isInstanceOf(TrainingException.class).hasMessageContaining("'blob'").hasMessageContaining("binary")
        .hasMessageContaining("exclude");
  }
}
