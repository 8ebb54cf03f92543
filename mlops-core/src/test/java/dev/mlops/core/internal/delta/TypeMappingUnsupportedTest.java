package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import io.delta.kernel.types.LongType;
import io.delta.kernel.types.StructType;
import io.delta.kernel.types.VariantType;
import org.junit.jupiter.api.Test;

/** A column of a type the SDK cannot hold (VARIANT) is reported by name and type, never dropped silently. */
class TypeMappingUnsupportedTest {
  @Test
  void a_variant_column_is_reported_with_its_name_and_type() {
    StructType s = new StructType().add("id", LongType.LONG).add("payload", VariantType.VARIANT);
    assertThat(TypeMapping.unsupported(s)).singleElement().asString().startsWith("payload ");
    assertThat(TypeMapping.fromKernel(LongType.LONG)).isPresent();
  }
}
