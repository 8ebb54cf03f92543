package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.metrics.MetricsReport;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class SdkEngineTest {

  /**
   * Kernel's default reporter turns every metrics report (one per snapshot load, scan and commit) into
   * JSON for an INFO line, whatever the log level; the SDK's engine does so only when its DEBUG is on.
   */
  @Test
  void kernels_metrics_reports_become_json_only_when_debug_is_on() {
    LocalFileIO io = new LocalFileIO(Map.of());
    Engine engine = new SdkEngine(DefaultEngine.create(io), io);
    AtomicInteger serialized = new AtomicInteger();
    MetricsReport report = () -> {
      serialized.incrementAndGet();
      return "{}";
    };
    engine.getMetricsReporters().forEach(r -> r.report(report));
    boolean debug = LoggerFactory.getLogger(SdkEngine.class).isDebugEnabled();
    assertThat(serialized.get()).isEqualTo(debug ? 1 : 0);
    // the default engine's reporter serializes it in any case
    DefaultEngine.create(io).getMetricsReporters().forEach(r -> r.report(report));
    assertThat(serialized.get()).isEqualTo(debug ? 2 : 1);
  }
}
