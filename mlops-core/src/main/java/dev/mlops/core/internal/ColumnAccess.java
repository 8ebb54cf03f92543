package dev.mlops.core.internal;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;

/**
 * Zero-copy access to a {@link Column}'s backing arrays for the SDK's own hot paths (Delta I/O,
 * joins, statistics). Public API copies; this does not, so callers must never modify what they get
 * and must not hand arrays they keep writing to {@link #wrap}.
 */
public final class ColumnAccess {
  private ColumnAccess() {}

  /** Implemented by {@link Column}; installed by its static initializer. */
  public interface Access {
    /** A column over the given arrays, without copying. */
    Column wrap(String name, DataType type, Object values, boolean[] nulls, int size);

    /** A column of a full type over the given arrays, without copying. */
    Column wrap(String name, ColumnType type, Object values, boolean[] nulls, int size);

    /** The backing value array (see Values.newArray). */
    Object values(Column column);

    /** The null mask, or null when the column has no nulls. */
    boolean[] nulls(Column column);
  }

  private static volatile Access access;

  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  /**
   * Installs the accessor: called once, by {@link Column}'s static initializer, and by nothing
   * else — a second call, or a call from any other class, is refused, so no caller can swap the
   * accessor every column operation of the SDK goes through.
   *
   * @throws IllegalStateException when the caller is not {@link Column} or an accessor is installed
   */
  public static synchronized void install(Access a) {
    Class<?> caller = WALKER.getCallerClass();
    if (caller != Column.class) {
      throw new IllegalStateException("ColumnAccess.install is for dev.mlops.core.Column only, not "
          + caller.getName() + ".");
    }
    if (access != null) {
      throw new IllegalStateException("ColumnAccess is installed already.");
    }
    access = java.util.Objects.requireNonNull(a, "accessor");
  }

  private static Access get() {
    Access a = access;
    if (a == null) {
      try {
        Class.forName(Column.class.getName(), true, Column.class.getClassLoader());
      } catch (ClassNotFoundException e) {
        throw new IllegalStateException(e);
      }
      a = access;
    }
    return a;
  }

  /** See {@link Access#wrap}. The arrays may be longer than size. */
  public static Column wrap(String name, DataType type, Object values, boolean[] nulls, int size) {
    return get().wrap(name, type, values, nulls, size);
  }

  /** A column of a full type (decimal, nested, ...) over the given arrays, without copying. */
  public static Column wrap(String name, ColumnType type, Object values, boolean[] nulls, int size) {
    return get().wrap(name, type, values, nulls, size);
  }

  /** See {@link Access#values}. */
  public static Object values(Column c) {
    return get().values(c);
  }

  /** long[] of a LONG or TIMESTAMP column, zero-copy. */
  public static long[] longs(Column c) {
    return (long[]) get().values(c);
  }

  /** int[] of an INT or DATE column, zero-copy. */
  public static int[] ints(Column c) {
    return (int[]) get().values(c);
  }

  /** double[] of a DOUBLE column, zero-copy. */
  public static double[] doubles(Column c) {
    return (double[]) get().values(c);
  }

  /** String[] of a STRING column, zero-copy. */
  public static String[] strings(Column c) {
    return (String[]) get().values(c);
  }

  /** boolean[] of a BOOLEAN column, zero-copy. */
  public static boolean[] booleans(Column c) {
    return (boolean[]) get().values(c);
  }

  /** The null mask or null. */
  public static boolean[] nulls(Column c) {
    return get().nulls(c);
  }
}
