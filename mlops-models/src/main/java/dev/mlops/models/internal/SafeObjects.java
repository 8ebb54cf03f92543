package dev.mlops.models.internal;

import dev.mlops.core.StorageException;
import dev.mlops.models.ModelIntegrityException;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;

/**
 * Java deserialization restricted by an {@link ObjectInputFilter} allow-list, with limits derived from
 * the file size, streamed from disk (the model is never held as bytes and as objects at once).
 *
 * <p>Allow-lists: every flavor admits the boxed primitives, String, Number and Enum; the "smile"
 * flavor adds {@code smile.**}, {@code java.util.HashMap} and {@code java.util.Map$Entry} (the classes
 * Smile 3.1.1 models were measured to need). {@code java.**} as a whole is never admitted: it holds
 * gadget-chain entry points such as {@code java.util.PriorityQueue}. Callers may add exact class names
 * or their own packages, never a JDK package wildcard.
 */
public final class SafeObjects {
  private SafeObjects() {}

  /** Classes every flavor may contain. */
  public static final List<String> BASE = List.of("java.lang.Number", "java.lang.Integer", "java.lang.Long",
      "java.lang.Double", "java.lang.Float", "java.lang.Short", "java.lang.Byte", "java.lang.Boolean",
      "java.lang.Character", "java.lang.String", "java.lang.Enum");

  /** Extra classes per flavor. */
  public static final Map<String, List<String>> FLAVORS = Map.of(
      "smile", List.of("smile.**", "java.util.HashMap", "java.util.Map$Entry"),
      "java", List.of());

  /** Deepest object graph accepted (Smile trees of depth 20 need about 25). */
  public static final int MAX_DEPTH = 200;

  private static final Pattern CLASS_NAME = Pattern.compile("[A-Za-z_$][A-Za-z0-9_$]*(\\.[A-Za-z_$][A-Za-z0-9_$]*)*");
  private static final List<String> JDK_ROOTS = List.of("java.", "javax.", "jdk.", "sun.", "com.sun.");

  /** The allow-list patterns of a flavor plus the caller's additions (validated). */
  public static List<String> allowList(String flavor, List<String> extra) {
    List<String> out = new ArrayList<>(BASE);
    out.addAll(FLAVORS.getOrDefault(flavor, List.of()));
    for (String e : extra) {
      out.add(checkPattern(e));
    }
    return out;
  }

  static String checkPattern(String p) {
    String base = p.endsWith(".**") ? p.substring(0, p.length() - 3) : p.endsWith(".*") ? p.substring(0, p.length() - 2) : p;
    if (!CLASS_NAME.matcher(base).matches()) {
      throw new IllegalArgumentException("'" + p + "' is not an allow-list entry: give a class name "
          + "('com.acme.Model'), a package ('com.acme.*') or a package tree ('com.acme.**').");
    }
    boolean wildcard = !base.equals(p);
    if (wildcard) {
      for (String root : JDK_ROOTS) {
        if ((base + ".").toLowerCase(Locale.ROOT).startsWith(root)) {
          throw new IllegalArgumentException("'" + p + "' would admit a whole JDK package, which holds "
              + "deserialization gadgets (e.g. java.util.PriorityQueue). Name the exact JDK classes your model "
              + "needs instead, e.g. 'java.util.ArrayList'.");
        }
      }
    }
    return p;
  }

  /**
   * Deserializes one object from file, refusing classes outside allow and streams beyond the limits,
   * and checking on the way that the bytes still hash to expectedSha256 (a swap after verification
   * is caught too).
   */
  public static Object read(Path file, List<String> allow, String expectedSha256, String what) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      throw new StorageException("Cannot read " + file + ": " + e.getMessage(), e);
    }
    String spec = String.join(";", allow) + ";maxdepth=" + MAX_DEPTH + ";maxrefs=" + Math.max(10_000, size)
        + ";maxbytes=" + (size + 1) + ";maxarray=" + Math.max(1_000, size) + ";!*";
    ObjectInputFilter filter = ObjectInputFilter.Config.createFilter(spec);
    AtomicReference<String> refused = new AtomicReference<>();
    ObjectInputFilter recording = info -> {
      ObjectInputFilter.Status s = filter.checkInput(info);
      if (s == ObjectInputFilter.Status.REJECTED && refused.get() == null) {
        refused.set(info.serialClass() != null ? "class " + describe(info.serialClass())
            : "a stream beyond the limits (depth " + info.depth() + ", references " + info.references()
                + ", bytes " + info.streamBytes() + ", array length " + info.arrayLength() + ")");
      }
      return s;
    };
    MessageDigest md = Checksums.sha256();
    Object result;
    try (InputStream raw = Files.newInputStream(file);
        DigestInputStream digest = new DigestInputStream(raw, md);
        ObjectInputStream in = new ObjectInputStream(new BufferedInputStream(digest, 1 << 16))) {
      in.setObjectInputFilter(recording);
      result = in.readObject();
      byte[] rest = new byte[8192];
      while (digest.read(rest) > 0) {
        // hash trailing bytes, if any, so the digest covers the whole file
      }
    } catch (InvalidClassException e) {
      if (refused.get() != null) {
        throw new ModelIntegrityException(what + " contains " + refused.get() + ", which is not on the allow-list "
            + allow + ". Deserialization stopped there. If the package is trusted and the class is genuinely part "
            + "of the model, pass it to deserialize(type, \"" + (refused.get().startsWith("class ")
                ? refused.get().substring(6) : "com.acme.ModelClass") + "\").", e);
      }
      throw new ModelIntegrityException(what + " cannot be deserialized: " + e.getMessage()
          + ". It was probably written by another version of its classes; retrain or re-register it.", e);
    } catch (ClassNotFoundException e) {
      throw new ModelIntegrityException(what + " needs class " + e.getMessage() + ", which is not on the classpath."
          + " Add the library that defines it.", e);
    } catch (IOException e) {
      throw new ModelIntegrityException(what + " is not a valid serialized object (" + e + "): the file is "
          + "damaged or was not written by ModelPackage.", e);
    }
    String got = Checksums.hex(md.digest());
    if (!got.equals(expectedSha256)) {
      throw new ModelIntegrityException(what + ": " + file.getFileName() + " changed while it was loaded (SHA-256 "
          + got + ", expected " + expectedSha256 + "). The object was discarded; load again.");
    }
    return result;
  }

  private static String describe(Class<?> c) {
    Class<?> e = c;
    while (e.isArray()) {
      e = e.getComponentType();
    }
    return e.getName();
  }
}
