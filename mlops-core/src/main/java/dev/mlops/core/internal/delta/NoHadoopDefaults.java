package dev.mlops.core.internal.delta;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;

/**
 * A context class loader that hides Hadoop's XML defaults ({@code core-default.xml},
 * {@code hdfs-default.xml}, the {@code -site.xml} files, ...) and delegates everything else. Kernel's Parquet writer lets parquet-mr build
 * a fresh Hadoop {@code Configuration} for every data file, and the first property read parses those
 * XML files again: measured as about a third of the CPU of a small commit. The writer reads only
 * parquet-mr keys, each with a built-in default, so data files are written while this loader is the
 * thread's context class loader (see {@link #run}); the files are byte-for-byte the same.
 */
final class NoHadoopDefaults extends ClassLoader {
  /** Hadoop's default resources: core-*, plus hdfs-*, hdfs-rbf-*, mapred-*, yarn-* once their classes loaded. */
  private static final java.util.regex.Pattern HIDDEN =
      java.util.regex.Pattern.compile("(core|hdfs|hdfs-rbf|mapred|yarn)-(default|site)\\.xml");

  private NoHadoopDefaults(ClassLoader parent) {
    super(parent);
  }

  @Override
  public URL getResource(String name) {
    return HIDDEN.matcher(name).matches() ? null : super.getResource(name);
  }

  @Override
  public Enumeration<URL> getResources(String name) throws IOException {
    return HIDDEN.matcher(name).matches() ? Collections.emptyEnumeration() : super.getResources(name);
  }

  /** Runs body with this loader as the context class loader of the current thread. */
  static <T> T run(IoSupplier<T> body) throws IOException {
    Thread t = Thread.currentThread();
    ClassLoader before = t.getContextClassLoader();
    ClassLoader parent = before != null ? before : NoHadoopDefaults.class.getClassLoader();
    t.setContextClassLoader(new NoHadoopDefaults(parent));
    try {
      return body.get();
    } finally {
      t.setContextClassLoader(before);
    }
  }

  /** A supplier that may throw IOException. */
  @FunctionalInterface
  interface IoSupplier<T> {
    T get() throws IOException;
  }
}
