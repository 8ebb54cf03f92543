package dev.mlops.storage;

import java.net.URI;
import java.util.Map;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** {@link MonitorsLoopTests} on a real HDFS: Hadoop's MiniDFSCluster, one for the class. */
class HdfsMonitorsTest extends MonitorsLoopTests {
  static MiniDFSCluster cluster;

  @BeforeAll
  static void startCluster() throws Exception {
    cluster = MiniHdfs.start("monitors");
  }

  @AfterAll
  static void stopCluster() {
    if (cluster != null) {
      cluster.shutdown(true);
    }
  }

  @Override
  URI rootFor(String test) {
    return URI.create(cluster.getURI() + "/lakehouse/" + test + "/");
  }

  @Override
  Map<String, String> conf() {
    return Map.of("dfs.replication", "1");
  }

  @Override
  FileSystem fs() throws Exception {
    return cluster.getFileSystem();
  }
}
