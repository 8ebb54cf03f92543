package dev.mlops.core.internal.delta;

import dev.mlops.core.DeltaTable;
import dev.mlops.core.internal.Errors;
import java.util.function.Function;

/**
 * The Delta layer behind a {@link DeltaTable}, for the SDK's own streaming readers in other modules
 * (see {@link ColumnScan}). Installed once by {@link DeltaTable}'s static initializer, like
 * {@link dev.mlops.core.internal.ColumnAccess}.
 */
public final class TableAccess {
  private TableAccess() {}

  private static volatile Function<DeltaTable, TableOps> access;

  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  /**
   * Installs the accessor: called once, by {@link DeltaTable}'s static initializer only.
   *
   * @throws IllegalStateException when the caller is not {@link DeltaTable} or one is installed
   */
  public static synchronized void install(Function<DeltaTable, TableOps> a) {
    Class<?> caller = WALKER.getCallerClass();
    if (caller != DeltaTable.class) {
      throw Errors.tableAccessInstallDevMlops(caller.getName());
    }
    if (access != null) {
      throw Errors.tableAccessAlreadyInstalled();
    }
    access = java.util.Objects.requireNonNull(a, "accessor");
  }

  static TableOps ops(DeltaTable t) {
    Function<DeltaTable, TableOps> a = access; // t exists, so DeltaTable is initialized and a is set
    if (a == null) {
      throw Errors.tableAccessNotInstalled();
    }
    return a.apply(t);
  }
}
