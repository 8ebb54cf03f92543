package dev.mlops.storage;

import java.io.File;
import java.io.IOException;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/** Starts Hadoop's MiniDFSCluster (a NameNode and one DataNode in this JVM) for a test class. */
final class MiniHdfs {
  private MiniHdfs() {}

  /**
   * A running cluster storing its blocks under {@code target/minidfs-<name>-<pid>}; shut it down with
   * {@code cluster.shutdown(true)} (which deletes that folder).
   */
  static MiniDFSCluster start(String name) throws IOException {
    File base = new File("target/minidfs-" + name + "-" + ProcessHandle.current().pid()).getAbsoluteFile();
    Configuration conf = new Configuration();
    conf.set(MiniDFSCluster.HDFS_MINIDFS_BASEDIR, base.getPath());
    conf.set("dfs.replication", "1");
    MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, base).numDataNodes(1).build();
    cluster.waitActive();
    return cluster;
  }
}
