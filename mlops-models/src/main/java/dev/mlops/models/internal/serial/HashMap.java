package dev.mlops.models.internal.serial;

import dev.mlops.models.internal.Errors;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectStreamException;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * Read in place of {@code java.util.HashMap} when a model is deserialized (see
 * {@link dev.mlops.models.internal.SafeObjects}): it reads the same stream data as the JDK class but never
 * hashes a key it has not checked first. Keys must be flat values whose hash code costs at most their
 * length (text, boxed primitives, enum constants, null), so a crafted stream of maps nested as keys of
 * maps (a hash-code bomb: each level doubles the work of {@code HashMap.readObject}) is refused at the
 * first nested key instead of spinning for minutes. Once read, it resolves to a real
 * {@code java.util.HashMap}, so the objects that held a map get one.
 *
 * <p>The simple name must stay {@code HashMap} and the serialVersionUID that of the JDK class: Java
 * serialization matches a stream class to a local class by simple name and serialVersionUID.
 */
public final class HashMap implements Serializable {
  private static final long serialVersionUID = 362498820763181265L; // java.util.HashMap's

  /** Serial field of java.util.HashMap (read, not used). */
  private float loadFactor;
  /** Serial field of java.util.HashMap (read, not used). */
  private int threshold;

  private transient List<Object> keys;
  private transient List<Object> values;

  private HashMap() {}

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    in.readInt(); // buckets: ignored, as the JDK does
    int mappings = in.readInt();
    if (mappings < 0) {
      throw Errors.badMapSize(mappings);
    }
    keys = new ArrayList<>(Math.min(mappings, 1024));
    values = new ArrayList<>(Math.min(mappings, 1024));
    for (int i = 0; i < mappings; i++) {
      Object key = in.readObject();
      if (!isFlat(key)) {
        throw Errors.badMapKey(key.getClass().getName(), i);
      }
      keys.add(key);
      values.add(in.readObject());
    }
  }

  /** Keys whose hashCode is cheap and not recursive. */
  static boolean isFlat(Object key) {
    return key == null || key instanceof String || key instanceof Integer || key instanceof Long
        || key instanceof Short || key instanceof Byte || key instanceof Character || key instanceof Boolean
        || key instanceof Double || key instanceof Float || key instanceof Enum;
  }

  private Object readResolve() throws ObjectStreamException {
    java.util.HashMap<Object, Object> m = new java.util.HashMap<>(Math.max(16, keys.size() * 2));
    for (int i = 0; i < keys.size(); i++) {
      m.put(keys.get(i), values.get(i));
    }
    return m;
  }
}
