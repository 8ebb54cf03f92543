package dev.mlops.core.internal;

import dev.mlops.core.Column;
import dev.mlops.core.ColumnType;
import dev.mlops.core.DataType;

/**
 * Zero-copy access to a {@link Column}'s backing arrays for the SDK's own hot paths (Delta I/O,
 * joins, statistics). Public API copies; this does not, so it is a capability that only the SDK's
 * classes obtain: each using class holds one in a constant,
 *
 * <pre>{@code
 * private static final ColumnAccess.Access COLUMNS = ColumnAccess.obtain();
 * ...
 * long[] ids = COLUMNS.longs(column);   // never modify it; never wrap arrays you keep writing to
 * }</pre>
 *
 * <p>{@link #obtain()} checks its caller: a class outside the SDK's packages ({@code dev.mlops.*}) is
 * refused, so an application cannot take the backing array of an "immutable" column or build a column
 * over an array it keeps writing to, and {@link #install} accepts only {@link Column} (once), so no one
 * can swap the accessor. Without JPMS (see the README: split packages in dependencies keep the SDK on
 * the class path) this is the boundary a class path allows: a class an application declares inside
 * the SDK's own packages, or reflection, can get past it, as they can get past any private field.
 */
public final class ColumnAccess {
  private ColumnAccess() {}

  /** The capability: implemented by {@link Column}, handed out by {@link #obtain()} to SDK classes only. */
  public interface Access {
    /**
     * A column over the given arrays, without copying. The arrays may be longer than size.
     *
     * @param name column name
     * @param type value type
     * @param values backing array (see Values.newArray)
     * @param nulls null mask or null
     * @param size number of values
     * @return the column
     */
    Column wrap(String name, DataType type, Object values, boolean[] nulls, int size);

    /**
     * A column of a full type (decimal, nested, ...) over the given arrays, without copying.
     *
     * @param name column name
     * @param type full type
     * @param values backing array
     * @param nulls null mask or null
     * @param size number of values
     * @return the column
     */
    Column wrap(String name, ColumnType type, Object values, boolean[] nulls, int size);

    /**
     * A STRING column over UTF-8 values, without copying them ({@link Utf8Values}: the builder must not
     * be cleared while the column is in use). The Parquet writer writes the bytes as they are; any other
     * reader gets strings, decoded once.
     *
     * @param name column name
     * @param values the values
     * @param nulls null mask (null where {@link Utf8Values#isNull} is false for every value)
     * @param size number of values
     * @return the column
     */
    Column wrapUtf8(String name, Utf8Values values, boolean[] nulls, int size);

    /**
     * The UTF-8 values of a column made by {@link #wrapUtf8} (or renamed from one).
     *
     * @param column the column
     * @return its values, or null when the column holds an array
     */
    Utf8Values utf8(Column column);

    /**
     * The backing value array (see Values.newArray); for a column of {@link #wrapUtf8}, its strings.
     *
     * @param column the column
     * @return its array, not a copy
     */
    Object values(Column column);

    /**
     * The null mask.
     *
     * @param column the column
     * @return the mask, or null when the column has no nulls
     */
    boolean[] nulls(Column column);

    /**
     * long[] of a LONG or TIMESTAMP column, zero-copy.
     *
     * @param c the column
     * @return its array
     */
    default long[] longs(Column c) {
      return (long[]) values(c);
    }

    /**
     * int[] of an INT or DATE column, zero-copy.
     *
     * @param c the column
     * @return its array
     */
    default int[] ints(Column c) {
      return (int[]) values(c);
    }

    /**
     * double[] of a DOUBLE column, zero-copy.
     *
     * @param c the column
     * @return its array
     */
    default double[] doubles(Column c) {
      return (double[]) values(c);
    }

    /**
     * String[] of a STRING column, zero-copy.
     *
     * @param c the column
     * @return its array
     */
    default String[] strings(Column c) {
      return (String[]) values(c);
    }

    /**
     * boolean[] of a BOOLEAN column, zero-copy.
     *
     * @param c the column
     * @return its array
     */
    default boolean[] booleans(Column c) {
      return (boolean[]) values(c);
    }
  }

  private static volatile Access access;

  private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

  /** Packages whose classes may obtain the capability: the SDK's modules, their tests and benchmarks. */
  private static final String SDK_PACKAGES = "dev.mlops.";

  /**
   * Installs the accessor: called once, by {@link Column}'s static initializer, and by nothing
   * else — a second call, or a call from any other class, is refused, so no caller can swap the
   * accessor every column operation of the SDK goes through.
   *
   * @param a the accessor
   * @throws IllegalStateException when the caller is not {@link Column} or an accessor is installed
   */
  public static synchronized void install(Access a) {
    Class<?> caller = WALKER.getCallerClass();
    if (caller != Column.class) {
      throw Errors.columnAccessInstallDevMlops(caller.getName());
    }
    if (access != null) {
      throw Errors.columnAccessAlreadyInstalled();
    }
    access = java.util.Objects.requireNonNull(a, "accessor");
  }

  /**
   * The zero-copy accessor, for a class of the SDK. Call it once per class, into a constant.
   *
   * @return the accessor
   * @throws IllegalStateException when the caller is not a class of the SDK: zero-copy access would let
   *     it change "immutable" columns; use {@link Column}'s copying getters instead
   */
  public static Access obtain() {
    Class<?> caller = WALKER.getCallerClass();
    if (!caller.getName().startsWith(SDK_PACKAGES)) {
      throw Errors.zeroCopyColumnAccessSdk(caller.getName());
    }
    return get();
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
}
