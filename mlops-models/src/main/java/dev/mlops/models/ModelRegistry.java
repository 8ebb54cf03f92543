package dev.mlops.models;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.MlopsException;
import dev.mlops.core.TableName;
import dev.mlops.core.Workspace;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.internal.FileStore;
import dev.mlops.core.internal.FileStores;
import dev.mlops.core.internal.Json;
import dev.mlops.models.internal.Args;
import dev.mlops.models.internal.Checksums;
import dev.mlops.models.internal.Errors;
import dev.mlops.models.internal.Files2;
import dev.mlops.models.internal.Formats;
import dev.mlops.models.internal.Locks;
import dev.mlops.models.internal.ModelMeta;
import dev.mlops.models.internal.Names;
import dev.mlops.models.internal.VersionMeta;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model registry as files in the workspace, shared safely by several threads and processes:
 * registered models under three-level names, numbered versions, aliases, soft delete, model URIs and
 * lineage to training runs and feature tables.
 *
 * <pre>{@code
 * ModelRegistry registry = ModelRegistry.of(ws);
 * ModelVersion v = registry.register("main.ml.churn", run.artifactUri("model")); // creates the model if needed
 * registry.setAlias("main.ml.churn", "champion", v.version());
 * LoadedModel m = registry.load("models:/main.ml.churn@champion");      // checksums verified
 * LogisticRegression lr = m.deserialize(LogisticRegression.class);      // allow-listed classes only
 * registry.versionsTrainedOn("main.crm.customer_features");
 * }</pre>
 *
 * <p><b>Layout.</b> {@code <workspace>/registry/<catalog>/<schema>/<model>/}: {@code model.json},
 * {@code aliases.json}, {@code versions/<n>/version.json}, {@code versions/<n>/package/} and
 * {@code staging/} (registrations in progress). Each JSON file carries a {@code formatVersion}; one
 * newer than this release reads is refused with {@link UnsupportedFormatException} naming the file,
 * and files without one (release 0.1.0) are read as version 1.
 *
 * <p><b>Registering.</b> One way, as in MLflow: log the model in a run and register its
 * {@code runs:/<run-id>/model} URI ({@link #register(String, String)}); a {@link TrainedModel} does
 * both with {@link TrainedModel#register(ModelRegistry, String)}.
 *
 * <p><b>Numbering.</b> A registration writes and verifies the whole version (package and
 * version.json) in {@code staging/<uuid>/}, then renames that directory to {@code versions/<n>} with
 * n = highest existing + 1; when another process took n first the rename fails and it retries with the
 * next number. A number is therefore only ever taken by a complete version: versions are 1..N with no
 * gap and no duplicate, and a crash leaves either the whole version or nothing visible. A registration
 * holds an OS lock on {@code staging/<uuid>.lock} while it uses {@code staging/<uuid>/}; a later
 * registration removes staging directories whose lock nobody holds (their writer was killed), and never
 * one whose writer still runs, however long it takes. (Staging directories without a lock file, from
 * older SDK versions, are removed after an hour.)
 *
 * <p><b>On HDFS</b> ({@code Workspace.open(URI.create("hdfs://..."), conf)}) the layout and the numbering
 * are the same: the rename of {@code staging/<uuid>/} to {@code versions/<n>} is a NameNode rename
 * that refuses an existing target, so several processes still get versions 1..N with no gap and no
 * duplicate. The package is built and verified in a local temp directory, then uploaded to the staging
 * directory; remote staging directories are removed after an hour (no OS locks there). Per-model
 * changes take a lock file instead of an OS lock. {@link #load(String)} copies a version's package to a
 * local directory ({@link ModelVersion#packageDir()}) and verifies it there before anything is read.
 *
 * <p><b>Changes</b> to descriptions, tags, status and aliases are read-modify-write under a per-model
 * lock (an OS file lock plus an in-JVM lock) and land by atomic replace.
 */
public final class ModelRegistry {
  private static final Logger LOG = LoggerFactory.getLogger(ModelRegistry.class);
  private static final TypeReference<Map<String, Integer>> ALIASES = new TypeReference<>() {};
  private static final long STAGING_MAX_AGE_MS = TimeUnit.HOURS.toMillis(1);

  private final Workspace workspace;
  /** {@code <workspace>/registry/}: local disk, or the workspace's Hadoop filesystem. */
  private final FileStore files;
  private volatile Tracking tracking;

  private ModelRegistry(Workspace workspace) {
    this.workspace = workspace;
    this.files = FileStores.dir(workspace, "registry");
  }

  /**
   * The registry of a workspace, on local disk or on a Hadoop filesystem whose renames are atomic
   * ({@code hdfs://}).
   *
   * <pre>{@code
   * ModelRegistry registry = ModelRegistry.of(Workspace.open(URI.create("hdfs://nn:8020/lakehouse"), Map.of()));
   * }</pre>
   *
   * @throws MlopsException when the workspace's filesystem cannot be reached
   */
  public static ModelRegistry of(Workspace workspace) {
    return new ModelRegistry(Args.notNull(workspace, "The workspace", "open one with Workspace.open(dir)"));
  }

  // ------------------------------------------------------------------------------------ models

  /**
   * Registers a new model name.
   *
   * @throws ModelAlreadyExistsException when the name is taken
   * @throws dev.mlops.core.InvalidNameException when the name is not {@code catalog.schema.name}
   */
  public RegisteredModel createModel(String name, String description, Map<String, String> tags) {
    TableName n = TableName.parse(name);
    Args.notNull(description, "The description of model '" + n + "'", "give text (\"\" for none)");
    Args.notNull(tags, "The tags of model '" + n + "'", "give a map (Map.of() for none)");
    tags.keySet().forEach(k -> Names.key(k, "tag key of model '" + n + "'"));
    tags.forEach((k, v) -> Args.notNull(v, "Tag '" + k + "' of model '" + n + "'", "give text (\"\" for an empty value)"));
    long now = System.currentTimeMillis();
    if (!createIfAbsent(n, new ModelMeta(n.toString(), description, Map.copyOf(tags), now, now))) {
      throw Errors.modelExists(n.toString());
    }
    LOG.info("Created model '{}'", n);
    return getModel(n.toString());
  }

  /** Registers a new model name with no description or tags. */
  public RegisteredModel createModel(String name) {
    return createModel(name, "", Map.of());
  }

  private boolean createIfAbsent(TableName n, ModelMeta meta) {
    String dir = writableModelDir(n, "create the registry folder");
    files.mkdirs(FileStore.join(dir, "versions"));
    return files.createIfAbsent(FileStore.join(dir, "model.json"), Formats.bytes(Formats.write(meta)));
  }

  /**
   * A registered model.
   *
   * @throws ModelNotFoundException naming it and listing the models of its schema
   */
  public RegisteredModel getModel(String name) {
    TableName n = TableName.parse(name);
    ModelMeta m = modelMeta(n);
    return new RegisteredModel(m.name(), m.description(), m.tags(), Instant.ofEpochMilli(m.createdAt()),
        Instant.ofEpochMilli(m.updatedAt()), readAliases(modelDir(n)));
  }

  /** A registered model, if it exists. */
  public Optional<RegisteredModel> findModel(String name) {
    TableName n = TableName.parse(name);
    return files.exists(FileStore.join(modelDir(n), "model.json")) ? Optional.of(getModel(name)) : Optional.empty();
  }

  /** Every registered model, sorted by name. */
  public List<RegisteredModel> listModels() {
    List<RegisteredModel> out = new ArrayList<>();
    for (String c : files.list("")) {
      for (String s : files.list(c)) {
        for (String m : files.list(FileStore.join(c, s))) {
          if (files.exists(FileStore.join(c, s, m, "model.json"))) {
            out.add(getModel(c + "." + s + "." + m));
          }
        }
      }
    }
    return out;
  }

  /** Replaces a model's description. */
  public RegisteredModel updateDescription(String name, String description) {
    Args.notNull(description, "The description of model '" + name + "'", "give text (\"\" for none)");
    return updateModel(name, m -> new ModelMeta(m.name(), description, m.tags(), m.createdAt(),
        System.currentTimeMillis()));
  }

  /** Sets a tag of a model. */
  public RegisteredModel setModelTag(String name, String key, String value) {
    Names.key(key, "tag key of model '" + name + "'");
    Args.notNull(value, "The value of tag '" + key + "' of model '" + name + "'", "give text (\"\" for an empty value)");
    return updateModel(name, m -> {
      Map<String, String> tags = new HashMap<>(m.tags());
      tags.put(key, value);
      return new ModelMeta(m.name(), m.description(), tags, m.createdAt(), System.currentTimeMillis());
    });
  }

  private RegisteredModel updateModel(String name, java.util.function.UnaryOperator<ModelMeta> change) {
    TableName n = TableName.parse(name);
    modelMeta(n);
    String dir = writableModelDir(n, "update"); // an unknown model fails before anything (even a lock file) is created
    files.withLock(lock(dir), () -> Formats.writeFile(files, FileStore.join(dir, "model.json"), change.apply(modelMeta(n))));
    return getModel(name);
  }

  // ------------------------------------------------------------------------------------ registration

  /**
   * Registers a package built in memory as the next version (creating the model if needed). Not public:
   * users register {@code runs:/} URIs ({@link #register(String, String)}) or trained models
   * ({@link TrainedModel#register}); this is what a trained model that was not logged to a run uses.
   *
   * @param runId the training run (its feature spec is used for lineage when the package has none), or null
   * @throws RunNotFoundException when runId is given but unknown
   */
  ModelVersion register(String name, ModelPackage pkg, String runId) {
    TableName n = TableName.parse(name);
    Args.notNull(pkg, "The model package", "build one with ModelPackage.builder().model(m).build() or trainedModel.toPackage()");
    checkRun(runId);
    try (Staging staging = newStaging(n)) {
      pkg.writeTo(staging.dir().resolve("package"), false); // staging is forced before it is published
      return publish(n, staging, "package", runId);
    }
  }

  /**
   * Registers a copy of a package directory as the next version. The source is verified before and the
   * copy after copying. Not public (see {@link #register(String, String)}); kept for tests of copying.
   *
   * @throws ModelIntegrityException when the source package fails verification (nothing is registered)
   */
  ModelVersion register(String name, Path packageDir, String runId) {
    TableName n = TableName.parse(name);
    Args.notNull(packageDir, "The package directory", "give a directory written by ModelPackage.writeTo or run.logModel");
    checkRun(runId);
    Path src = packageDir.toAbsolutePath().normalize();
    if (!Files.isDirectory(src)) {
      throw Errors.notAPackageDirectory(src, n.toString());
    }
    Checksums.verify(src, "Model package " + src);
    try (Staging staging = newStaging(n)) {
      Path pkgDir = staging.dir().resolve("package");
      copyPackage(src, pkgDir, "Model package " + src);
      return publish(n, staging, src.toString(), runId);
    }
  }

  /**
   * Registers a package logged in a run, by its {@code runs:/<run-id>/<path>} URI, as the next version
   * (creating the model if needed); the run becomes the version's run. This is the registry's one way
   * to register: log the model in a run, then register the run's artifact. A {@link TrainedModel}
   * does both with {@link TrainedModel#register(ModelRegistry, String)}.
   *
   * <pre>{@code
   * try (Run run = tracking.experiment("churn").start("rf")) {
   *   run.logModel("model", pkg);                                   // or Trainer...run(run).fit()
   *   registry.register("main.ml.churn", run.artifactUri("model")); // "runs:/<run-id>/model"
   * }
   * }</pre>
   *
   * @param name the model name, {@code catalog.schema.model}
   * @param runsUri {@code runs:/<run-id>/<artifact-path>} of a package logged with {@link Run#logModel}
   * @return the new version
   * @throws InvalidModelUriException for a URI that is not {@code runs:/}
   * @throws RunNotFoundException for an unknown run
   * @throws ArtifactNotFoundException when the run has no such artifact
   * @throws ModelIntegrityException when the logged package fails verification (nothing is registered)
   */
  public ModelVersion register(String name, String runsUri) {
    Args.notNull(runsUri, "The runs:/ URI", "log the model to a run and pass run.artifactUri(\"model\")");
    ModelUri u = ModelUri.parse(runsUri);
    if (u.kind() != ModelUri.Kind.RUN) {
      throw Errors.registerNeedsRunUri(runsUri);
    }
    String runId = u.runId().orElseThrow();
    Path dir = tracking().artifact(runId, u.artifactPath().orElseThrow());
    TableName n = TableName.parse(name);
    Checksums.verify(dir, "Model package " + runsUri);
    try (Staging staging = newStaging(n)) {
      Path pkgDir = staging.dir().resolve("package");
      copyPackage(dir, pkgDir, runsUri);
      return publish(n, staging, u.toString(), runId);
    }
  }

  /** Copies a package into a private staging directory; publish verifies the copy and forces it. */
  private static void copyPackage(Path src, Path pkgDir, String what) {
    List<Path> written = new ArrayList<>();
    for (Map.Entry<String, Path> f : Checksums.files(src, what).entrySet()) {
      Path t = pkgDir.resolve(f.getKey());
      Files2.copyPlain(f.getValue(), t);
      written.add(t);
    }
    Files2.copyPlain(src.resolve(Checksums.FILE), pkgDir.resolve(Checksums.FILE));
    written.add(pkgDir.resolve(Checksums.FILE));
    try (java.util.stream.Stream<Path> dirs = Files.walk(pkgDir)) {
      dirs.filter(Files::isDirectory).forEach(written::add);
    } catch (IOException e) {
      throw Errors.cannotList(pkgDir, e);
    }
    Files2.forceAll(written);
  }

  private void checkRun(String runId) {
    if (runId != null) {
      tracking().getRun(runId);
    }
  }

  /**
   * A registration's private staging directory, owned until closed. On local disk {@code dir} is
   * {@code staging/<uuid>/} in the registry ({@code rel}) and its lock file is held; on a remote store
   * the package is built in {@code dir}, a local temp directory, and uploaded to {@code rel} when it is
   * published (owner is null: a remote staging directory is removed by age).
   */
  record Staging(Path dir, Locks.Held owner, String rel, FileStore store) implements AutoCloseable {
    /** Removes what is left of the directory (nothing once published), then its lock file. */
    @Override
    public void close() {
      Files2.deleteTreeQuietly(dir);
      if (owner != null) {
        owner.close();
      } else {
        store.deleteTreeQuietly(rel);
      }
    }
  }

  /** Opens a staging directory for a registration of model name (for tests that hold one open). */
  Staging openStaging(String name) {
    return newStaging(TableName.parse(name));
  }

  private Staging newStaging(TableName n) {
    String stagingRoot = FileStore.join(writableModelDir(n, "register a version"), "staging");
    files.mkdirs(stagingRoot);
    String id = UUID.randomUUID().toString();
    String rel = FileStore.join(stagingRoot, id);
    Optional<Path> local = files.localPath(stagingRoot);
    if (local.isEmpty()) {
      cleanRemoteStaging(stagingRoot);
      try {
        return new Staging(Files.createTempDirectory("mlops-staging-"), null, rel, files);
      } catch (IOException e) {
        throw Errors.noStagingDirectory(n, e);
      }
    }
    cleanStaging(local.get());
    Locks.Held owner = Locks.hold(local.get().resolve(id + LOCK_SUFFIX)); // owned before it exists
    try {
      return new Staging(Files2.mkdirs(local.get().resolve(id)), owner, rel, files);
    } catch (RuntimeException e) {
      owner.close();
      throw e;
    }
  }

  private static final String LOCK_SUFFIX = ".lock";

  /**
   * Removes staging directories whose writer is gone: their lock file is not held (the writer was killed:
   * the OS released its lock), or they have no lock file and are older than an hour (older SDK versions).
   * A directory whose writer still runs is never touched.
   */
  private static void cleanStaging(Path stagingRoot) {
    long cutoff = System.currentTimeMillis() - STAGING_MAX_AGE_MS;
    List<String> names = Files2.list(stagingRoot);
    for (String d : names) {
      Path p = stagingRoot.resolve(d);
      try {
        if (d.endsWith(LOCK_SUFFIX)) {
          String dirName = d.substring(0, d.length() - LOCK_SUFFIX.length());
          if (!names.contains(dirName) && !Files.exists(stagingRoot.resolve(dirName)) && !Locks.isHeld(p)) {
            AtomicFiles.deleteQuietly(p); // a writer killed after its directory was gone
          }
          continue;
        }
        Path lock = stagingRoot.resolve(d + LOCK_SUFFIX);
        if (Files.exists(lock)) {
          if (!Locks.isHeld(lock)) {
            Files2.deleteTreeQuietly(p);
            AtomicFiles.deleteQuietly(lock);
            LOG.debug("Removed staging directory {} left by a writer that was killed", p);
          }
        } else if (Files.getLastModifiedTime(p).toMillis() < cutoff) {
          Files2.deleteTreeQuietly(p);
        }
      } catch (IOException ignored) {
        // removed meanwhile by another process
      }
    }
  }

  /**
   * Remote stores have no OS locks: a staging directory older than an hour is taken as left by a killed
   * writer (a registration uploads its package in seconds to minutes; one slower than an hour fails at
   * publishing with an error, it never publishes a partial version).
   */
  private void cleanRemoteStaging(String stagingRoot) {
    long cutoff = System.currentTimeMillis() - STAGING_MAX_AGE_MS;
    for (String d : files.list(stagingRoot)) {
      String p = FileStore.join(stagingRoot, d);
      if (files.modifiedMillis(p).orElse(Long.MAX_VALUE) < cutoff) {
        files.deleteTreeQuietly(p);
      }
    }
  }

  private ModelVersion publish(TableName n, Staging staging, String source, String runId) {
    Path pkgDir = staging.dir().resolve("package");
    String digest = Checksums.verify(pkgDir, "Model package for '" + n + "'");
    PackageDescriptor d = ModelPackage.readDescriptor(pkgDir);
    Map<String, Object> spec = d.featureSpec();
    if (spec.isEmpty() && runId != null) {
      spec = tracking().featureSpec(runId).orElse(Map.of());
    }
    long now = System.currentTimeMillis();
    createIfAbsent(n, new ModelMeta(n.toString(), "", Map.of(), now, now)); // first registration creates the model
    String versions = FileStore.join(modelDir(n), "versions");
    files.mkdirs(versions);
    boolean local = staging.owner() != null;
    if (!local) {
      upload(staging.dir(), staging.rel());
    }
    VersionMeta meta = new VersionMeta(n.toString(), 1, runId, source, "", Map.of(),
        ModelVersionStatus.READY.name(), now, now, digest, spec, d.flavor(), d.modelClass());
    for (int attempt = 0; attempt < 10_000; attempt++) {
      int next = maxVersion(versions) + 1;
      VersionMeta numbered = meta.numbered(next);
      byte[] json = Formats.bytes(Formats.write(numbered));
      if (local) {
        Files2.writeNew(staging.dir().resolve("version.json"), json);
        Files2.forceAll(List.of(staging.dir().resolve("version.json"), staging.dir()));
      } else {
        files.write(FileStore.join(staging.rel(), "version.json"), json);
      }
      String target = FileStore.join(versions, Integer.toString(next));
      // The number is taken by the rename that refuses an existing target: atomic on local disks and HDFS.
      if (!files.renameIfAbsent(staging.rel(), target)) {
        continue; // another process took this number: take the next one
      }
      files.localPath(versions).ifPresent(Files2::syncDir);
      LOG.info("Registered version {} of model '{}'{}", next, n, runId == null ? "" : " from run " + runId);
      return toVersion(numbered, modelDir(n), readAliases(modelDir(n)));
    }
    throw Errors.versionNumberingRace(n, files.uri(versions));
  }

  /** Copies a local staging directory's files to the remote staging directory rel. */
  private void upload(Path dir, String rel) {
    try (java.util.stream.Stream<Path> s = Files.walk(dir)) {
      for (Path f : (Iterable<Path>) s::iterator) {
        if (Files.isRegularFile(f)) {
          files.upload(f, FileStore.join(rel, dir.relativize(f).toString().replace('\\', '/')));
        }
      }
    } catch (IOException e) {
      throw Errors.cannotList(dir, e);
    }
  }

  private int maxVersion(String versions) {
    int max = 0;
    for (String s : files.list(versions)) {
      if (s.matches("[1-9][0-9]{0,8}")) {
        max = Math.max(max, Integer.parseInt(s));
      }
    }
    return max;
  }

  // ------------------------------------------------------------------------------------ versions

  /**
   * A version by number (also a soft-deleted one: check {@link ModelVersion#status()}).
   *
   * @throws ModelNotFoundException for an unknown model
   * @throws ModelVersionNotFoundException naming the model, the version and the versions that exist
   */
  public ModelVersion getVersion(String name, int version) {
    TableName n = TableName.parse(name);
    String dir = modelDir(n);
    modelMeta(n);
    return toVersion(versionMeta(n, version), dir, readAliases(dir));
  }

  /**
   * The version an alias points to.
   *
   * @throws AliasNotFoundException naming the model, the alias and the aliases that exist
   */
  public ModelVersion getVersion(String name, String alias) {
    TableName n = TableName.parse(name);
    String a = Names.alias(alias, n.toString());
    modelMeta(n);
    Map<String, Integer> aliases = readAliases(modelDir(n));
    Integer v = aliases.get(a);
    if (v == null) {
      throw Errors.aliasNotFound(n.toString(), a, aliases.keySet(), false);
    }
    return toVersion(versionMeta(n, v), modelDir(n), aliases);
  }

  /** The versions of a model that are not deleted, by number. */
  public List<ModelVersion> listVersions(String name) {
    return listVersions(name, false);
  }

  /** The versions of a model by number, with the soft-deleted ones when includeDeleted. */
  public List<ModelVersion> listVersions(String name, boolean includeDeleted) {
    TableName n = TableName.parse(name);
    modelMeta(n);
    String dir = modelDir(n);
    Map<String, Integer> aliases = readAliases(dir);
    List<ModelVersion> out = new ArrayList<>();
    for (String s : files.list(FileStore.join(dir, "versions"))) {
      if (!s.matches("[1-9][0-9]{0,8}")) {
        continue;
      }
      Optional<VersionMeta> vm = Formats.read(files, FileStore.join(dir, "versions", s, "version.json"),
          VersionMeta.class);
      vm.filter(m -> includeDeleted || !m.status().equals(ModelVersionStatus.DELETED.name()))
          .ifPresent(m -> out.add(toVersion(m, dir, aliases)));
    }
    out.sort(Comparator.comparingInt(ModelVersion::version));
    return out;
  }

  /** Replaces a version's description. */
  public ModelVersion updateVersionDescription(String name, int version, String description) {
    Args.notNull(description, "The description of version " + version + " of model '" + name + "'", "give text (\"\" for none)");
    return updateVersion(name, version, m -> m.with(description, m.tags(), m.status()));
  }

  /** Sets a tag of a version. */
  public ModelVersion setVersionTag(String name, int version, String key, String value) {
    Names.key(key, "tag key of version " + version + " of model '" + name + "'");
    Args.notNull(value, "The value of tag '" + key + "' of version " + version + " of model '" + name + "'",
        "give text (\"\" for an empty value)");
    return updateVersion(name, version, m -> {
      Map<String, String> tags = new HashMap<>(m.tags());
      tags.put(key, value);
      return m.with(m.description(), tags, m.status());
    });
  }

  /**
   * Soft-deletes a version: it stays on disk (for audit and lineage) with status DELETED, cannot be
   * loaded, and loses its aliases. Its number is never reused. Deleting twice is harmless.
   */
  public ModelVersion deleteVersion(String name, int version) {
    TableName n = TableName.parse(name);
    versionMeta(n, version);
    String dir = writableModelDir(n, "delete version " + version);
    files.withLock(lock(dir), () -> {
      VersionMeta m = versionMeta(n, version);
      Formats.writeFile(files, versionFile(dir, version), m.with(m.description(), m.tags(),
          ModelVersionStatus.DELETED.name()));
      Map<String, Integer> aliases = new TreeMap<>(readAliases(dir));
      if (aliases.values().removeIf(v -> v == version)) {
        Formats.writeMap(files, FileStore.join(dir, "aliases.json"), "aliases", aliases);
      }
    });
    LOG.info("Deleted version {} of model '{}'", version, n);
    return getVersion(name, version);
  }

  /** Restores a soft-deleted version to READY (its old aliases are not restored). */
  public ModelVersion restoreVersion(String name, int version) {
    return updateVersion(name, version, m -> m.with(m.description(), m.tags(), ModelVersionStatus.READY.name()));
  }

  private ModelVersion updateVersion(String name, int version, java.util.function.UnaryOperator<VersionMeta> change) {
    TableName n = TableName.parse(name);
    versionMeta(n, version); // unknown model or version fails before anything is created
    String dir = writableModelDir(n, "update version " + version);
    files.withLock(lock(dir), () -> Formats.writeFile(files, versionFile(dir, version),
        change.apply(versionMeta(n, version))));
    return getVersion(name, version);
  }

  // ------------------------------------------------------------------------------------ aliases

  /**
   * Points an alias at a version, moving it if it pointed elsewhere (a model has at most one version
   * per alias).
   *
   * @throws ModelVersionNotFoundException when the version does not exist or is deleted
   * @throws dev.mlops.core.InvalidNameException for an alias that is not allowed
   */
  public ModelVersion setAlias(String name, String alias, int version) {
    TableName n = TableName.parse(name);
    String a = Names.alias(alias, n.toString());
    modelMeta(n);
    String dir = writableModelDir(n, "set alias '" + a + "'");
    files.withLock(lock(dir), () -> {
      VersionMeta m = versionMeta(n, version);
      if (m.status().equals(ModelVersionStatus.DELETED.name())) {
        throw Errors.versionDeleted(n.toString(), version, "point alias '" + a + "' at it", " or pick another version");
      }
      Map<String, Integer> aliases = new TreeMap<>(readAliases(dir));
      aliases.put(a, version);
      Formats.writeMap(files, FileStore.join(dir, "aliases.json"), "aliases", aliases);
    });
    LOG.info("Alias '{}' of model '{}' now points to version {}", a, n, version);
    return getVersion(name, version);
  }

  /**
   * Removes an alias.
   *
   * @throws AliasNotFoundException when the model has no such alias
   */
  public void deleteAlias(String name, String alias) {
    TableName n = TableName.parse(name);
    String a = Names.alias(alias, n.toString());
    modelMeta(n);
    String dir = writableModelDir(n, "delete alias '" + a + "'");
    files.withLock(lock(dir), () -> {
      Map<String, Integer> aliases = new TreeMap<>(readAliases(dir));
      if (aliases.remove(a) == null) {
        throw Errors.aliasNotFound(n.toString(), a, aliases.keySet(), true);
      }
      Formats.writeMap(files, FileStore.join(dir, "aliases.json"), "aliases", aliases);
    });
  }

  /** Alias to version number. */
  public Map<String, Integer> aliases(String name) {
    TableName n = TableName.parse(name);
    modelMeta(n);
    return readAliases(modelDir(n));
  }

  // ------------------------------------------------------------------------------------ URIs

  /**
   * Resolves a model URI to its package directory (and version) without verifying or loading it.
   *
   * @throws InvalidModelUriException for a malformed URI
   * @throws ModelNotFoundException for what does not exist (also {@link ModelVersionNotFoundException},
   *     {@link AliasNotFoundException}, {@link RunNotFoundException}, {@link ArtifactNotFoundException});
   *     a deleted version is not found
   */
  public ResolvedModel resolve(String uri) {
    ModelUri u = ModelUri.parse(uri);
    if (u.kind() == ModelUri.Kind.RUN) {
      Path dir = tracking().artifact(u.runId().orElseThrow(), u.artifactPath().orElseThrow());
      return new ResolvedModel(u, dir, Optional.empty());
    }
    String name = u.name().orElseThrow();
    ModelVersion v;
    switch (u.kind()) {
      case VERSION:
        v = getVersion(name, u.version().getAsInt());
        break;
      case ALIAS:
        v = getVersion(name, u.alias().orElseThrow());
        break;
      default:
        List<ModelVersion> all = listVersions(name);
        if (all.isEmpty()) {
          throw Errors.noLiveVersion(name, uri);
        }
        v = all.get(all.size() - 1);
    }
    if (v.status() == ModelVersionStatus.DELETED) {
      throw Errors.versionDeleted(name, v.version(), "use '" + uri + "'", " or use another version");
    }
    return new ResolvedModel(u, v.packageDir(), Optional.of(v));
  }

  /**
   * Resolves a URI and verifies every file of its package against its checksums (and, for registry
   * versions, the package digest recorded at registration). Nothing is deserialized until
   * {@link LoadedModel#deserialize(Class, String...)}.
   *
   * @throws ModelIntegrityException when a file is missing, extra, truncated or modified
   */
  public LoadedModel load(String uri) {
    ResolvedModel r = resolve(uri);
    String what = "Model " + r.uri();
    if (r.version().isPresent() && files.localPath("").isEmpty()) {
      fetchPackage(r.version().get());
    }
    String digest = Checksums.verify(r.packageDir(), what);
    if (r.version().isPresent() && !digest.equals(r.version().get().packageDigest())) {
      throw Errors.packageReplaced(what, digest, r.version().get().packageDigest());
    }
    return new LoadedModel(r.packageDir(), ModelPackage.readDescriptor(r.packageDir()), Checksums.read(r.packageDir()),
        r.version(), what);
  }

  // ------------------------------------------------------------------------------------ lineage

  /**
   * The versions (not deleted) whose recorded feature spec mentions a table, e.g. every model trained on
   * {@code main.crm.customer_features}. A spec mentions a table when any text value or key in it
   * equals the table's name (case-insensitive).
   */
  public List<ModelVersion> versionsTrainedOn(String tableName) {
    String t = TableName.parse(tableName).toString();
    List<ModelVersion> out = new ArrayList<>();
    for (RegisteredModel m : listModels()) {
      for (ModelVersion v : listVersions(m.name())) {
        if (mentions(Json.MAPPER.valueToTree(v.featureSpec()), t)) {
          out.add(v);
        }
      }
    }
    return out;
  }

  private static boolean mentions(JsonNode node, String table) {
    if (node.isTextual()) {
      return node.asText().toLowerCase(Locale.ROOT).equals(table);
    }
    if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        if (e.getKey().toLowerCase(Locale.ROOT).equals(table) || mentions(e.getValue(), table)) {
          return true;
        }
      }
    }
    if (node.isArray()) {
      for (JsonNode c : node) {
        if (mentions(c, table)) {
          return true;
        }
      }
    }
    return false;
  }

  // ------------------------------------------------------------------------------------ internals

  private Tracking tracking() {
    Tracking t = tracking;
    if (t == null) {
      t = Tracking.of(workspace);
      tracking = t;
    }
    return t;
  }

  private static String modelDir(TableName n) {
    return FileStore.join(n.catalog(), n.schema(), n.name());
  }

  /** The model's directory for a write: refused when it leads outside the workspace through a symbolic link. */
  private String writableModelDir(TableName n, String what) {
    String dir = modelDir(n);
    files.localPath(dir).ifPresent(p ->
        Files2.confine(workspace.localRoot().orElseThrow(), p, what + " of model '" + n + "'"));
    return dir;
  }

  private static String lock(String modelDir) {
    return FileStore.join(modelDir, ".lock");
  }

  private static String versionFile(String modelDir, int version) {
    return FileStore.join(modelDir, "versions", Integer.toString(version), "version.json");
  }

  private ModelMeta modelMeta(TableName n) {
    return Formats.read(files, FileStore.join(modelDir(n), "model.json"), ModelMeta.class).orElseThrow(() -> {
      String schemaDir = FileStore.join(n.catalog(), n.schema());
      List<String> inSchema = files.list(schemaDir).stream()
          .filter(m -> files.exists(FileStore.join(schemaDir, m, "model.json")))
          .map(m -> n.catalog() + "." + n.schema() + "." + m).collect(Collectors.toList());
      return Errors.modelNotFound(n.toString(), inSchema, n.catalog() + "." + n.schema());
    });
  }

  private VersionMeta versionMeta(TableName n, int version) {
    modelMeta(n);
    String dir = modelDir(n);
    return Formats.read(files, versionFile(dir, version), VersionMeta.class)
        .orElseThrow(() -> Errors.versionNotFound(n.toString(), version, maxVersion(FileStore.join(dir, "versions"))));
  }

  private Map<String, Integer> readAliases(String modelDir) {
    return Formats.readMap(files, FileStore.join(modelDir, "aliases.json"), "aliases", ALIASES).orElse(Map.of());
  }

  /**
   * Where a version's package is read from: its directory in a local registry; for a remote registry,
   * a local copy under {@code <java.io.tmpdir>/mlops-registry-<hash of the registry URI>/}, fetched and
   * verified by {@link #load(String)} (versions never change once registered).
   */
  private Path packageDir(String modelDir, int version) {
    String rel = FileStore.join(modelDir, "versions", Integer.toString(version), "package");
    return files.localPath(rel).orElseGet(() -> remoteCache().resolve(rel));
  }

  private Path remoteCache() {
    String key = Checksums.sha256(files.root().toString().getBytes(StandardCharsets.UTF_8)).substring(0, 16);
    return Path.of(System.getProperty("java.io.tmpdir"), "mlops-registry-" + key);
  }

  /**
   * Copies a remote version's package into its local copy (when missing or not matching the version's
   * digest): into a fresh temp directory first, then moved into place, so a reader never sees half a copy.
   */
  private void fetchPackage(ModelVersion v) {
    Path target = v.packageDir();
    if (Files.isDirectory(target)) {
      try {
        if (Checksums.verify(target, "Model " + v.name()).equals(v.packageDigest())) {
          return;
        }
      } catch (MlopsException e) {
        // damaged or replaced local copy: fetch it again
      }
      Files2.deleteTreeQuietly(target);
    }
    TableName n = TableName.parse(v.name());
    String rel = FileStore.join(modelDir(n), "versions", Integer.toString(v.version()), "package");
    Path tmp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
    try {
      for (FileStore.Entry e : files.files(rel)) {
        files.download(FileStore.join(rel, e.path()), tmp.resolve(e.path()));
      }
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
      } catch (FileAlreadyExistsException | DirectoryNotEmptyException e) {
        // another thread fetched it first; load verifies what is there
      }
    } catch (IOException e) {
      throw Errors.cannotCopyVersion(v.version(), v.name(), files.uri(rel), target, e);
    } finally {
      Files2.deleteTreeQuietly(tmp);
    }
  }

  private ModelVersion toVersion(VersionMeta m, String modelDir, Map<String, Integer> aliases) {
    List<String> mine = aliases.entrySet().stream().filter(e -> e.getValue() == m.version()).map(Map.Entry::getKey)
        .sorted().collect(Collectors.toList());
    return new ModelVersion(m.name(), m.version(), Optional.ofNullable(m.runId()), m.source(), m.description(),
        m.tags(), ModelVersionStatus.valueOf(m.status()), Instant.ofEpochMilli(m.createdAt()),
        Instant.ofEpochMilli(m.updatedAt()), mine, m.packageDigest(),
        m.featureSpec() == null ? Map.of() : m.featureSpec(), m.flavor(), packageDir(modelDir, m.version()));
  }

  private static List<String> sorted(List<String> l) {
    List<String> c = new ArrayList<>(l);
    c.sort(null);
    return c;
  }

  /** The workspace this registry lives in. */
  public Workspace workspace() {
    return workspace;
  }
}
