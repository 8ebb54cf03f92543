package dev.mlops.features.internal;

import dev.mlops.features.MutableFeatureRow;

/**
 * Lets the online store point a {@link MutableFeatureRow} at a packed row without a public setter:
 * installed once by {@link MutableFeatureRow}'s static initializer (a call from any other class, or a
 * second call, is refused), obtained by this package's readers.
 */
public final class RowAccess {
  private RowAccess() {}

  /** The capability, implemented by {@link MutableFeatureRow}. */
  public interface Access {
    /**
     * Points the row at packed row id of the layout's rows (id -1: no row found).
     *
     * @param row the row to fill
     * @param layout the columns the row exposes
     * @param id the packed row, or -1
     */
    void point(MutableFeatureRow row, PackedRows.Layout layout, int id);
  }

  private static volatile Access access;

  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  /**
   * Installs the accessor: for {@link MutableFeatureRow}'s static initializer only, once.
   *
   * @param a the accessor
   * @throws IllegalStateException when called by another class or a second time
   */
  public static synchronized void install(Access a) {
    Class<?> caller = WALKER.getCallerClass();
    if (caller != MutableFeatureRow.class) {
      throw Errors.rowAccessInstallNotFromRow(caller);
    }
    if (access != null) {
      throw Errors.rowAccessAlreadyInstalled();
    }
    access = java.util.Objects.requireNonNull(a, "accessor");
  }

  /** The accessor (initializes {@link MutableFeatureRow} if needed). */
  static Access get() {
    Access a = access;
    if (a == null) {
      try {
        Class.forName(MutableFeatureRow.class.getName(), true, MutableFeatureRow.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      a = access;
    }
    return a;
  }
}
