package dev.mlops.models;

import dev.mlops.models.internal.Args;
import dev.mlops.models.internal.Checksums;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.SafeObjects;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A model package whose every file has been verified against its checksums; the model itself is
 * deserialized on demand, through an {@link java.io.ObjectInputFilter} allow-list.
 *
 * <pre>{@code
 * LoadedModel m = registry.load("models:/main.ml.churn@champion");
 * LogisticRegression lr = m.deserialize(LogisticRegression.class);
 * m.descriptor().signature();
 * }</pre>
 *
 * <p>The allow-list is the flavor's (see {@link ModelPackage.Builder#flavor(String)}) plus the exact class
 * asked for, plus any extra entries passed to {@link #deserialize(Class, String...)}: exact class names,
 * or package wildcards outside the JDK ({@code java.**} would admit gadget classes such as
 * {@code java.util.PriorityQueue}). A class outside the list stops deserialization with a
 * {@link ModelIntegrityException} naming it. The stream is read from disk in 64 KiB blocks and its
 * SHA-256 is checked again as it is read.
 */
public final class LoadedModel {
  private final Path dir;
  private final PackageDescriptor descriptor;
  private final Map<String, Checksums.Entry> checksums;
  private final Optional<ModelVersion> version;
  private final String what;

  LoadedModel(Path dir, PackageDescriptor descriptor, Map<String, Checksums.Entry> checksums,
      Optional<ModelVersion> version, String what) {
    this.dir = dir;
    this.descriptor = descriptor;
    this.checksums = checksums;
    this.version = version;
    this.what = what;
  }

  /** The package directory. */
  public Path directory() {
    return dir;
  }

  /** The verified descriptor. */
  public PackageDescriptor descriptor() {
    return descriptor;
  }

  /** The registry version this package belongs to, when loaded through a {@code models:/} URI. */
  public Optional<ModelVersion> version() {
    return version;
  }

  /** SHA-256 of every file, by relative path. */
  public Map<String, String> checksums() {
    Map<String, String> out = new TreeMap<>();
    checksums.forEach((k, v) -> out.put(k, v.sha256()));
    return out;
  }

  /**
   * Deserializes the model through the allow-list.
   *
   * @param type the class expected (admitted exactly, together with the flavor's allow-list)
   * @param extraAllowed more allowed classes or non-JDK package wildcards ({@code com.acme.**})
   * @throws ModelIntegrityException when the stream holds a class outside the allow-list, exceeds the
   *     limits, or changed since it was verified
   * @throws dev.mlops.core.MlopsException when the model is another type (instead of a ClassCastException)
   */
  public <T> T deserialize(Class<T> type, String... extraAllowed) {
    Args.notNull(type, "The expected model class", "give the model's class or a supertype, e.g. Object.class");
    Args.notNull(extraAllowed, "The extra allow-list", "leave it out, or give class names");
    List<String> extra = new ArrayList<>(Arrays.asList(extraAllowed));
    if (!type.isPrimitive()) {
      extra.add(type.getName());
    }
    List<String> allow = SafeObjects.allowList(descriptor.flavor(), extra);
    Checksums.Entry entry = checksums.get(ModelPackage.MODEL_FILE);
    if (entry == null) {
      throw Errors.noModelFileChecksum(what, ModelPackage.MODEL_FILE);
    }
    Object o = SafeObjects.read(dir.resolve(ModelPackage.MODEL_FILE), allow, entry.sha256(), what);
    if (!type.isInstance(o)) {
      throw Errors.modelOfOtherClass(what, o.getClass().getName(), type.getName());
    }
    return type.cast(o);
  }

  @Override
  public String toString() {
    return "LoadedModel[" + descriptor.flavor() + " " + descriptor.modelClass() + " at " + dir + "]";
  }
}
