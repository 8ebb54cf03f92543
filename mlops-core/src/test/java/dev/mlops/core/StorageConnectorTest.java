package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The SDK ships only the part of Hadoop that local disks need; a remote workspace whose connector is
 * missing fails on open with a typed error naming the scheme and the artifacts to add.
 */
class StorageConnectorTest {
  private static final String HADOOP = org.apache.hadoop.util.VersionInfo.getVersion();

  private static StorageConnectorMissingException openFails(String uri, Map<String, String> conf) {
    Throwable t = org.assertj.core.api.Assertions.catchThrowable(() -> Workspace.open(URI.create(uri), conf));
    assertThat(t).isInstanceOf(StorageConnectorMissingException.class);
    return (StorageConnectorMissingException) t;
  }

  @Test
  void s3a_without_hadoop_aws_names_the_scheme_and_the_artifacts() {
    StorageConnectorMissingException e = openFails("s3a://bucket/lakehouse", Map.of());
    assertThat(e.scheme()).isEqualTo("s3a");
    assertThat(e.artifacts()).containsExactly("org.apache.hadoop:hadoop-common:" + HADOOP,
        "org.apache.hadoop:hadoop-aws:" + HADOOP);
    assertThat(e.getMessage()).contains("s3a://bucket/lakehouse", "'s3a'", "org.apache.hadoop.fs.s3a.S3AFileSystem",
        "org.apache.hadoop:hadoop-aws:" + HADOOP);
    assertThat(e).isInstanceOf(StorageException.class);
  }

  @Test
  void hdfs_names_hadoop_hdfs_client() {
    StorageConnectorMissingException e = openFails("hdfs://namenode:8020/lakehouse", Map.of());
    assertThat(e.scheme()).isEqualTo("hdfs");
    assertThat(e.artifacts()).contains("org.apache.hadoop:hadoop-hdfs-client:" + HADOOP);
  }

  @Test
  void azure_and_gcs_schemes_name_their_connectors() {
    assertThat(openFails("abfss://c@account.dfs.core.windows.net/x", Map.of()).artifacts())
        .contains("org.apache.hadoop:hadoop-azure:" + HADOOP);
    assertThat(openFails("gs://bucket/x", Map.of()).artifacts()).contains("com.google.cloud.bigdataoss:gcs-connector");
  }

  @Test
  void s3_is_pointed_to_s3a() {
    StorageConnectorMissingException e = openFails("s3://bucket/lakehouse", Map.of());
    assertThat(e.getMessage()).contains("s3a://bucket/lakehouse");
  }

  @Test
  void an_unknown_scheme_is_refused_with_how_to_register_a_filesystem() {
    StorageConnectorMissingException e = openFails("nosuchfs://x/y", Map.of());
    assertThat(e.scheme()).isEqualTo("nosuchfs");
    assertThat(e.getMessage()).contains("fs.nosuchfs.impl");
  }

  @Test
  void a_connector_on_the_class_path_without_the_hadoop_libraries_it_needs_asks_for_hadoop_common() {
    // The connector class is found (set by fs.hdfs.impl), but hadoop-common's security libraries, which
    // every remote connector runs on, are trimmed from the SDK's class path.
    StorageConnectorMissingException e = openFails("hdfs://namenode:8020/lakehouse",
        Map.of("fs.hdfs.impl", "org.apache.hadoop.fs.RawLocalFileSystem"));
    assertThat(e.artifacts()).containsExactly("org.apache.hadoop:hadoop-common:" + HADOOP);
    assertThat(e.getMessage()).contains("org.apache.hadoop.fs.RawLocalFileSystem is on the class path");
  }

  @Test
  void a_file_uri_is_a_local_workspace_and_needs_no_connector(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) {
    try (Workspace ws = Workspace.open(dir.toUri(), Map.of())) {
      assertThat(ws.localRoot()).isPresent();
    }
  }
}
