package dev.mlops.models.internal;

/** Null checks for public entry points: an IllegalArgumentException that names the argument and the fix. */
public final class Args {
  private Args() {}

  /**
   * Returns value, or throws when it is null.
   *
   * @param what the argument as the message names it, e.g. "The workspace"
   * @param fix what to pass instead, e.g. "open one with Workspace.open(dir)"
   */
  public static <T> T notNull(T value, String what, String fix) {
    if (value == null) {
      throw Errors.nullArgument(what, fix);
    }
    return value;
  }
}
