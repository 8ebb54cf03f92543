package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

class NoHadoopDefaultsTest {
  @Test
  void hides_hadoop_xml_defaults_inside_and_restores_the_context_loader_after() throws Exception {
    ClassLoader before = Thread.currentThread().getContextClassLoader();
    assertThat(new Configuration().size()).isGreaterThan(100); // core-default.xml and friends
    int inside = NoHadoopDefaults.run(() -> {
      assertThat(Thread.currentThread().getContextClassLoader().getResource("dev/mlops/core/sdk.properties")).isNotNull();
      return new Configuration().size();
    });
    assertThat(inside).isZero();
    assertThat(Thread.currentThread().getContextClassLoader()).isSameAs(before);
  }
}
