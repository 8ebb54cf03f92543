package dev.mlops.storage;

import java.net.URI;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * {@link MonitorsLoopTests} on a real S3-compatible server ({@link S3Server}, S3Proxy in its own
 * process), through an {@code s3a://} workspace: the monitor, alert and deployment files go through
 * the workspace's S3 file store (conditional puts, whole-object rewrites).
 */
class S3MonitorsTest extends MonitorsLoopTests {
  static S3Server s3;
  static FileSystem raw;

  @BeforeAll
  static void startServer() throws Exception {
    s3 = S3Server.start();
    Configuration c = new Configuration();
    s3.conf().forEach(c::set);
    raw = FileSystem.newInstance(URI.create("s3a://" + S3Server.BUCKET + "/"), c);
  }

  @AfterAll
  static void stopServer() throws Exception {
    if (raw != null) {
      raw.close();
    }
    if (s3 != null) {
      s3.close();
    }
  }

  @Override
  URI rootFor(String test) {
    return s3.uri("lakehouse/monitors-" + test);
  }

  @Override
  Map<String, String> conf() {
    return s3.conf();
  }

  @Override
  FileSystem fs() {
    return raw;
  }
}
