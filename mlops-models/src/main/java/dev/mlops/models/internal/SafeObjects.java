package dev.mlops.models.internal;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.io.ObjectStreamClass;
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
 * flavor adds {@code smile.**} (except {@link #REFUSED} classes) and {@code java.util.HashMap} (Smile 3.1.1 models hold small maps from
 * names or integers to indexes). {@code java.**} as a whole is never admitted: it holds gadget-chain
 * entry points such as {@code java.util.PriorityQueue}. Callers may add exact class names or their own
 * packages, never a JDK package wildcard, and never a JDK hash collection other than HashMap.
 *
 * <p><b>Loading time is bounded.</b> {@code java.util.HashMap} is never deserialized as itself: it is
 * read through {@link dev.mlops.models.internal.serial.HashMap}, which refuses keys that are not flat
 * values before hashing them, so a hash-code bomb (maps nested as keys of maps, where every level
 * doubles the work) is refused at its first nested key. Without hashing, the work of reading a stream
 * grows with its size: the limits (depth {@value #MAX_DEPTH}, references and array lengths at most the
 * file size) keep every accepted file fast to load.
 */
public final class SafeObjects {
  private SafeObjects() {}

  /** Classes every flavor may contain. */
  public static final List<String> BASE = List.of("java.lang.Number", "java.lang.Integer", "java.lang.Long",
      "java.lang.Double", "java.lang.Float", "java.lang.Short", "java.lang.Byte", "java.lang.Boolean",
      "java.lang.Character", "java.lang.String", "java.lang.Enum");

  /** Extra classes per flavor. */
  public static final Map<String, List<String>> FLAVORS = Map.of(
      "smile", List.of("!smile.math.matrix.BigMatrix", "smile.**", "java.util.HashMap"),
      "java", List.of());

  /**
   * Classes refused even where a package wildcard admits them, with the reason: their readObject does
   * work sized by numbers in the stream rather than by the stream's length.
   */
  static final Map<String, String> REFUSED = Map.of("smile.math.matrix.BigMatrix",
      "its readObject allocates native memory of rows x columns taken from the stream (a file of a few bytes can "
          + "ask for gigabytes); models hold smile.math.matrix.Matrix or plain arrays instead");

  /** Deepest object graph accepted (Smile trees of depth 20 need about 25). */
  public static final int MAX_DEPTH = 200;

  private static final String JDK_HASH_MAP = "java.util.HashMap";
  private static final String SAFE_HASH_MAP = dev.mlops.models.internal.serial.HashMap.class.getName();

  /** JDK collections that hash their elements while they are deserialized (hash-code and collision bombs). */
  private static final List<String> HASHING = List.of("java.util.HashSet", "java.util.LinkedHashSet",
      "java.util.LinkedHashMap", "java.util.Hashtable", "java.util.Properties", "java.util.WeakHashMap",
      "java.util.concurrent.ConcurrentHashMap", "java.util.concurrent.ConcurrentSkipListMap",
      "java.util.concurrent.ConcurrentSkipListSet", "java.util.TreeMap", "java.util.TreeSet",
      "java.util.PriorityQueue");

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
    if (p == null) {
      throw Errors.nullAllowListEntry();
    }
    String base = p.endsWith(".**") ? p.substring(0, p.length() - 3) : p.endsWith(".*") ? p.substring(0, p.length() - 2) : p;
    if (!CLASS_NAME.matcher(base).matches()) {
      throw Errors.badAllowListEntry(p);
    }
    boolean wildcard = !base.equals(p);
    if (wildcard) {
      for (String root : JDK_ROOTS) {
        if ((base + ".").toLowerCase(Locale.ROOT).startsWith(root)) {
          throw Errors.wholeJdkPackage(p);
        }
      }
    }
    if (HASHING.contains(p)) {
      throw Errors.hashingClassAllowListed(p);
    }
    return p;
  }

  /** Why a stream was refused: a class outside the allow-list, or a limit. */
  private record Refusal(String className, String limit) {}

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
      throw Errors.cannotRead(file, e);
    }
    List<String> patterns = new ArrayList<>(allow);
    if (allow.contains(JDK_HASH_MAP)) {
      // the stream's HashMaps are read as the stand-in, which then resolves to a java.util.HashMap (checked too)
      patterns.add(SAFE_HASH_MAP);
    }
    ObjectInputFilter classes = ObjectInputFilter.Config.createFilter(String.join(";", patterns) + ";!*");
    long maxRefs = Math.max(10_000, size);
    long maxArray = Math.max(1_000, size);
    long maxBytes = size + 1;
    AtomicReference<Refusal> refused = new AtomicReference<>();
    ObjectInputFilter filter = info -> {
      String limit = null;
      if (info.depth() > MAX_DEPTH) {
        limit = "objects nested " + info.depth() + " levels deep (the limit is " + MAX_DEPTH + ")";
      } else if (info.references() > maxRefs) {
        limit = "more than " + maxRefs + " object references (the limit for a file of " + size + " bytes)";
      } else if (info.streamBytes() > maxBytes) {
        limit = "more bytes than the file holds (" + info.streamBytes() + " > " + size + ")";
      } else if (info.arrayLength() > maxArray) {
        limit = "an array of " + info.arrayLength() + " elements" + (info.serialClass() == null ? ""
            : " (" + info.serialClass().getTypeName() + ")") + ", more than a file of " + size
            + " bytes can hold (the limit is " + maxArray + ")";
      }
      if (limit != null) {
        refused.compareAndSet(null, new Refusal(null, limit));
        return ObjectInputFilter.Status.REJECTED;
      }
      if (info.serialClass() == null) {
        return ObjectInputFilter.Status.ALLOWED;
      }
      ObjectInputFilter.Status s = classes.checkInput(info);
      if (s == ObjectInputFilter.Status.REJECTED) {
        refused.compareAndSet(null, new Refusal(describe(info.serialClass()), null));
        return ObjectInputFilter.Status.REJECTED;
      }
      return s;
    };
    MessageDigest md = Checksums.sha256();
    Object result;
    try (InputStream raw = Files.newInputStream(file);
        DigestInputStream digest = new DigestInputStream(raw, md);
        ObjectInputStream in = new Input(new BufferedInputStream(digest, 1 << 16))) {
      in.setObjectInputFilter(filter);
      result = in.readObject();
      byte[] rest = new byte[8192];
      while (digest.read(rest) > 0) {
        // hash trailing bytes, if any, so the digest covers the whole file
      }
    } catch (InvalidClassException e) {
      Refusal r = refused.get();
      if (r != null && r.className() != null && REFUSED.containsKey(r.className())) {
        throw Errors.refusedClass(what, r.className(), REFUSED.get(r.className()), e);
      }
      if (r != null && r.className() != null) {
        throw Errors.classNotAllowed(what, r.className(), allow, e);
      }
      if (r != null) {
        throw Errors.overLimit(what, file.getFileName(), r.limit(), e);
      }
      throw Errors.incompatibleClass(what, e);
    } catch (InvalidObjectException e) {
      throw Errors.damagedObject(what, e);
    } catch (ClassNotFoundException e) {
      throw Errors.classNotOnClasspath(what, e);
    } catch (IOException e) {
      throw Errors.notSerializedObject(what, e);
    } catch (ClassCastException | IllegalStateException | ArrayStoreException e) {
      throw Errors.objectsDoNotFitClasses(what, e);
    }
    String got = Checksums.hex(md.digest());
    if (!got.equals(expectedSha256)) {
      throw Errors.changedWhileLoading(what, file.getFileName(), got, expectedSha256);
    }
    return result;
  }

  /** Reads java.util.HashMap through the key-checking stand-in; every other class as usual. */
  private static final class Input extends ObjectInputStream {
    Input(InputStream in) throws IOException {
      super(in);
    }

    @Override
    protected Class<?> resolveClass(ObjectStreamClass desc) throws IOException, ClassNotFoundException {
      if (desc.getName().equals(JDK_HASH_MAP)) {
        return dev.mlops.models.internal.serial.HashMap.class;
      }
      return super.resolveClass(desc);
    }
  }

  private static String describe(Class<?> c) {
    Class<?> e = c;
    while (e.isArray()) {
      e = e.getComponentType();
    }
    return e == dev.mlops.models.internal.serial.HashMap.class ? JDK_HASH_MAP : e.getName();
  }
}
