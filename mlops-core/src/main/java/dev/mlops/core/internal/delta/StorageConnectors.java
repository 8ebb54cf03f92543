package dev.mlops.core.internal.delta;

import dev.mlops.core.internal.Errors;
import dev.mlops.core.StorageConnectorMissingException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Checks, before a workspace on a remote URI is opened, that the Hadoop connector of its scheme is on
 * the class path. The SDK depends on hadoop-common with its dependencies trimmed to what local disks
 * need (see the parent pom), so {@code hdfs://}, {@code s3a://}, ... need the user to add their
 * connector and hadoop-common itself (which brings back Hadoop's security and RPC libraries).
 * The check only looks classes up (no initialisation, no network).
 */
final class StorageConnectors {
  private StorageConnectors() {}

  /** A scheme's FileSystem class and the artifact (without version) that holds it. */
  private record Connector(String fsClass, String group, String artifact, boolean hadoopVersioned) {}

  private static final String HADOOP = "org.apache.hadoop";

  private static final Map<String, Connector> KNOWN = Map.ofEntries(
      Map.entry("hdfs", new Connector("org.apache.hadoop.hdfs.DistributedFileSystem", HADOOP, "hadoop-hdfs-client", true)),
      Map.entry("webhdfs", new Connector("org.apache.hadoop.hdfs.web.WebHdfsFileSystem", HADOOP, "hadoop-hdfs-client", true)),
      Map.entry("swebhdfs", new Connector("org.apache.hadoop.hdfs.web.SWebHdfsFileSystem", HADOOP, "hadoop-hdfs-client", true)),
      Map.entry("s3a", new Connector("org.apache.hadoop.fs.s3a.S3AFileSystem", HADOOP, "hadoop-aws", true)),
      Map.entry("abfs", new Connector("org.apache.hadoop.fs.azurebfs.AzureBlobFileSystem", HADOOP, "hadoop-azure", true)),
      Map.entry("abfss", new Connector("org.apache.hadoop.fs.azurebfs.SecureAzureBlobFileSystem", HADOOP, "hadoop-azure", true)),
      Map.entry("wasb", new Connector("org.apache.hadoop.fs.azure.NativeAzureFileSystem", HADOOP, "hadoop-azure", true)),
      Map.entry("wasbs", new Connector("org.apache.hadoop.fs.azure.NativeAzureFileSystem$Secure", HADOOP, "hadoop-azure", true)),
      Map.entry("oss", new Connector("org.apache.hadoop.fs.aliyun.oss.AliyunOSSFileSystem", HADOOP, "hadoop-aliyun", true)),
      Map.entry("gs", new Connector("com.google.cloud.hadoop.fs.gcs.GoogleHadoopFileSystem",
          "com.google.cloud.bigdataoss", "gcs-connector", false)));

  /**
   * A class of each library that the full hadoop-common brings and the SDK leaves out; every remote
   * connector needs them (user and group handling, Kerberos names, Hadoop RPC).
   */
  static final List<String> FULL_HADOOP_COMMON = List.of(
      "org.apache.hadoop.security.authentication.util.KerberosName");

  /**
   * Throws {@link StorageConnectorMissingException} when the connector of {@code root}'s scheme (or
   * what hadoop-common needs to run it) is missing; returns quietly for {@code file:} and for
   * schemes whose connector is present.
   */
  static void require(URI root, Map<String, String> conf) {
    String scheme = root.getScheme();
    if (scheme == null || scheme.equalsIgnoreCase("file")) {
      return;
    }
    String s = scheme.toLowerCase(Locale.ROOT);
    String hv = hadoopVersion();
    if (s.equals("s3") || s.equals("s3n")) {
      throw Errors.schemeGoneInHadoop3(root, s, rest(root), HADOOP, hv);
    }
    Connector known = KNOWN.get(s);
    String override = conf.get("fs." + s + ".impl");
    String fsClass = override != null ? override : known != null ? known.fsClass() : null;
    List<String> artifacts = new ArrayList<>();
    if (known != null) {
      artifacts.add(HADOOP + ":hadoop-common:" + hv);
      artifacts.add(known.group() + ":" + known.artifact() + (known.hadoopVersioned() ? ":" + hv : ""));
    }
    if (fsClass == null) {
      // A scheme the SDK does not know: ask Hadoop (its service registry and fs.<scheme>.impl).
      try {
        org.apache.hadoop.conf.Configuration hc = new org.apache.hadoop.conf.Configuration(false);
        conf.forEach(hc::set);
        org.apache.hadoop.fs.FileSystem.getFileSystemClass(s, hc);
        return;
      } catch (java.io.IOException | RuntimeException | LinkageError e) {
        throw Errors.noFileSystemForScheme(root, s, HADOOP, hv, e);
      }
    }
    ClassLoader cl = loader();
    try {
      Class.forName(fsClass, false, cl);
    } catch (LinkageError e) {
      throw Errors.connectorCannotLoad(root, s, fsClass, HADOOP, hv, e);
    } catch (ClassNotFoundException e) {
      throw Errors.connectorMissing(root, s, fsClass, artifacts, e);
    }
    for (String c : FULL_HADOOP_COMMON) {
      try {
        Class.forName(c, false, cl);
      } catch (ClassNotFoundException | LinkageError e) {
        List<String> common = List.of(HADOOP + ":hadoop-common:" + hv);
        throw Errors.hadoopLibrariesMissing(root, s, fsClass, c, common, e);
      }
    }
  }

  private static String rest(URI u) {
    String ssp = u.getRawSchemeSpecificPart();
    return ssp.startsWith("//") ? ssp.substring(2) : ssp;
  }

  private static ClassLoader loader() {
    ClassLoader ctx = Thread.currentThread().getContextClassLoader();
    return ctx != null ? ctx : StorageConnectors.class.getClassLoader();
  }

  /** The Hadoop version on the class path (what the connector jars must match). */
  static String hadoopVersion() {
    try {
      String v = org.apache.hadoop.util.VersionInfo.getVersion();
      return v == null || v.equals("Unknown") ? "<your Hadoop version>" : v;
    } catch (RuntimeException | LinkageError e) {
      return "<your Hadoop version>";
    }
  }
}
