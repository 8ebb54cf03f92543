package dev.mlops.core.internal;

import dev.mlops.core.TableName;
import dev.mlops.core.Workspace;
import java.net.URI;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The {@link FileStore} of each open workspace, for the SDK's modules (tracking, registry, monitors).
 * {@link Workspace} registers its store when it is built; nothing else can replace it.
 *
 * <pre>{@code
 * FileStore registry = FileStores.dir(ws, "registry");   // <root>/registry/, created if needed
 * }</pre>
 */
public final class FileStores {
  private FileStores() {}

  private static final Map<Workspace, FileStore> STORES = Collections.synchronizedMap(new WeakHashMap<>());

  /**
   * The store for a root: {@link LocalFileStore} when localRoot is given, else a Hadoop store.
   *
   * @param root the root URI (ends with '/')
   * @param localRoot the root on local disk, or null for a Hadoop filesystem
   * @param conf Hadoop settings (never logged)
   * @return the store
   */
  public static FileStore create(URI root, Path localRoot, Map<String, String> conf) {
    return localRoot != null ? new LocalFileStore(localRoot) : HadoopFileStore.create(root, conf);
  }

  /**
   * Called once by the Workspace being constructed.
   *
   * @param ws the workspace
   * @param store its store
   */
  public static void register(Workspace ws, FileStore store) {
    if (STORES.putIfAbsent(ws, store) != null) {
      throw Errors.fileStoreAlreadySet(ws);
    }
  }

  /**
   * Called by {@link Workspace#close()}: a store holding connections or writer leases (the S3 store)
   * gives them up. The store stays registered; used again, it reconnects.
   *
   * @param ws the workspace being closed
   */
  public static void release(Workspace ws) {
    if (STORES.get(ws) instanceof S3FileStore s) {
      s.close();
    }
  }

  /**
   * The store of a workspace, rooted at its root.
   *
   * @param ws an open workspace
   * @return its store
   */
  public static FileStore of(Workspace ws) {
    FileStore s = STORES.get(ws);
    if (s == null) {
      throw Errors.noFileStore(ws);
    }
    return s;
  }

  /**
   * The store of a workspace's top-level folder for a module's files (e.g. "registry"), created if
   * needed.
   *
   * @param ws an open workspace
   * @param name the folder name
   * @return a store rooted at {@code <root>/<name>/}
   */
  public static FileStore dir(Workspace ws, String name) {
    TableName.checkPart(name, "directory");
    FileStore s = of(ws);
    s.mkdirs(name);
    return s.sub(name);
  }
}
