package dev.mlops.core.internal.delta;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.util.Map;
import org.apache.hadoop.conf.Configuration;
import org.junit.jupiter.api.Test;

/**
 * How remote storage errors are classified and how credentials are kept out of messages (the live
 * checks against a real S3 server are in storage-tests' S3WorkspaceTest).
 */
class RemoteFileIOTest {

  @Test
  void credentials_of_the_hadoop_configuration_are_secrets_and_are_scrubbed() {
    Map<String, String> conf = Map.of(
        "fs.s3a.access.key", "AKIAEXAMPLE123",
        "fs.s3a.secret.key", "s3cr3t/value+X",
        "fs.s3a.bucket.lake.secret.key", "other-secret-1",
        "fs.s3a.session.token", "token-abcdef",
        "fs.azure.account.key.acct.dfs.core.windows.net", "azurekey==",
        "fs.s3a.endpoint", "http://127.0.0.1:9000",
        "dfs.replication", "1");
    assertThat(RemoteFileIO.secrets(conf)).contains("AKIAEXAMPLE123", "s3cr3t/value+X", "other-secret-1",
        "token-abcdef", "azurekey==").doesNotContain("http://127.0.0.1:9000", "1");
    RemoteFileIO io = new RemoteFileIO(URI.create("s3a://lake/root/"), new Configuration(false), conf);
    assertThat(io.scrub("key AKIAEXAMPLE123 with s3cr3t/value+X at http://127.0.0.1:9000"))
        .isEqualTo("key **** with **** at http://127.0.0.1:9000");
  }

  @Test
  void unreachable_endpoints_and_refused_credentials_are_access_problems_missing_files_are_not() {
    assertThat(RemoteFileIO.accessProblem(new IOException("list", new ConnectException("Connection refused"))))
        .contains("cannot be reached");
    assertThat(RemoteFileIO.accessProblem(new IOException(new UnknownHostException("nowhere.invalid"))))
        .contains("host");
    assertThat(RemoteFileIO.accessProblem(new AccessDeniedException("s3a://lake/x: getFileStatus: 403 Forbidden")))
        .contains("refused access");
    assertThat(RemoteFileIO.accessProblem(new IOException("The specified bucket does not exist (NoSuchBucket)")))
        .contains("bucket does not exist");
    assertThat(RemoteFileIO.accessProblem(new java.io.FileNotFoundException("s3a://lake/x/_delta_log"))).isNull();
    assertThat(RemoteFileIO.accessProblem(new java.nio.file.FileAlreadyExistsException("s3a://lake/x/1.json")))
        .isNull();
  }
}
