package dev.mlops.models.internal;

import dev.mlops.models.AliasNotFoundException;
import dev.mlops.models.ArtifactNotFoundException;
import dev.mlops.models.ExperimentNotFoundException;
import dev.mlops.models.InvalidMetricException;
import dev.mlops.models.InvalidModelUriException;
import dev.mlops.models.ModelAlreadyExistsException;
import dev.mlops.models.ModelIntegrityException;
import dev.mlops.models.ModelNotFoundException;
import dev.mlops.models.ModelVersionNotFoundException;
import dev.mlops.models.ParamConflictException;
import dev.mlops.models.PredictionInputException;
import dev.mlops.models.RunNotActiveException;
import dev.mlops.models.RunNotFoundException;
import dev.mlops.models.TrainingException;
import dev.mlops.models.UnsupportedFormatException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.OptionalInt;

/**
 * Every user-facing message of the models module, built in one place (after Delta Kernel's
 * {@code DeltaErrors}): each method says what went wrong, why, and how to fix it, and puts the
 * offending values on the exception it returns. Callers {@code throw Errors.x(..)}.
 */
public final class Errors {
  private Errors() {}

  // ------------------------------------------------------------------------------- not found

  /** No registered model has this name. */
  public static ModelNotFoundException modelNotFound(String name, Collection<String> inSchema, String schema) {
    return new ModelNotFoundException("No registered model is named '" + name + "'. Models in " + schema + ": "
        + inSchema + ". Create it with registry.createModel(\"" + name + "\") or register a version, which creates it.",
        name);
  }

  /** A model has no version with this number. */
  public static ModelVersionNotFoundException versionNotFound(String name, int version, int max) {
    return new ModelVersionNotFoundException("Model '" + name + "' has no version " + version + ": "
        + (max == 0 ? "it has no versions yet. Register one with registry.register." : "its versions are 1.." + max
            + ". List them with registry.listVersions(\"" + name + "\")."), name, OptionalInt.of(version));
  }

  /** A version is soft-deleted, so it cannot be used for what the caller does. */
  public static ModelVersionNotFoundException versionDeleted(String name, int version, String doing, String fix) {
    return new ModelVersionNotFoundException("Cannot " + doing + ": version " + version + " of model '" + name
        + "' is deleted. Restore it with registry.restoreVersion(\"" + name + "\", " + version + ")" + fix + ".",
        name, OptionalInt.of(version));
  }

  /** Every version of a model is deleted (or it has none), so "latest" points nowhere. */
  public static ModelVersionNotFoundException noLiveVersion(String name, String uri) {
    return new ModelVersionNotFoundException("Model '" + name + "' has no version that is not deleted, so '" + uri
        + "' points nowhere. Register one with registry.register.", name, OptionalInt.empty());
  }

  /** A model has no such alias. */
  public static AliasNotFoundException aliasNotFound(String name, String alias, Collection<String> aliases,
      boolean deleting) {
    return new AliasNotFoundException("Model '" + name + "' has no alias '" + alias + "'" + (deleting ? " to delete" : "")
        + ". Its aliases: " + aliases + "." + (deleting ? "" : " Set one with registry.setAlias(\"" + name + "\", \""
        + alias + "\", version)."), name, alias);
  }

  /** No run has this id. */
  public static RunNotFoundException runNotFound(String runId, Object root) {
    return new RunNotFoundException("No run has id '" + runId + "' in " + root + ". Check the id (run.id() or "
        + "RunInfo.runId()) and that this is the workspace it was logged to.", runId);
  }

  /** No experiment has this name. */
  public static ExperimentNotFoundException experimentNotFound(String name, Collection<String> existing) {
    return new ExperimentNotFoundException("No experiment is named '" + name + "'. Existing experiments: " + existing
        + ". Experiments are created by tracking.experiment(name).", name);
  }

  /** An experiment's directory lost its meta.json while in use. */
  public static ExperimentNotFoundException experimentRemoved(String name, Object dir) {
    return new ExperimentNotFoundException("Experiment '" + name + "' has no meta.json at " + dir + ": it was removed "
        + "while in use. Call tracking.experiment(\"" + name + "\") to recreate it.", name);
  }

  /** A run has no artifact at this path. */
  public static ArtifactNotFoundException artifactNotFound(String runId, String path, Collection<String> existing) {
    return new ArtifactNotFoundException("Run " + runId + " has no artifact at '" + path + "'. It has: " + existing
        + ".", path);
  }

  /** A local file or directory to log does not exist or has the wrong kind. */
  public static ArtifactNotFoundException notLoggable(Path local, String runId, boolean wantDirectory) {
    return new ArtifactNotFoundException(wantDirectory
        ? "Cannot log artifacts from " + local + " to run " + runId + ": it is not a directory. Use "
            + "logArtifact(file, path) for a file."
        : "Cannot log artifact " + local + " to run " + runId + ": it is not a readable regular file. Use "
            + "logArtifacts(dir, path) for directories.", local.toString());
  }

  // ------------------------------------------------------------------------------- runs

  /** A null param value. */
  public static IllegalArgumentException nullParam(String key, String runId) {
    return new IllegalArgumentException("Param '" + key + "' of run " + runId + " is null: log a value, or the text "
        + "\"none\" if absence is meaningful.");
  }

  /** A param value over the length limit. */
  public static IllegalArgumentException paramTooLong(String key, String runId, int length, int limit) {
    return new IllegalArgumentException("Param '" + key + "' of run " + runId + " has " + length + " characters; the "
        + "limit is " + limit + ". Log long values as an artifact.");
  }

  /** A param logged again with another value. */
  public static ParamConflictException paramConflict(String key, String runName, String runId, String before,
      String now) {
    return new ParamConflictException("Param '" + key + "' of run '" + runName + "' (" + runId + ") is already '"
        + before + "' and cannot become '" + now + "': params are immutable. Use another key (e.g. '" + key
        + "_2') or a new run.");
  }

  /** A null metric value in a map of metrics. */
  public static InvalidMetricException nullMetric(String key, String runName, String runId, long step) {
    return new InvalidMetricException("Metric '" + key + "' of run '" + runName + "' (" + runId + ") at step " + step
        + " is null. Nothing was written. Log a number, or leave the key out of the map when there is no value at "
        + "this step.");
  }

  /** A NaN or infinite metric value. */
  public static InvalidMetricException nonFiniteMetric(String key, String runName, String runId, long step,
      double value) {
    return new InvalidMetricException("Metric '" + key + "' of run '" + runName + "' (" + runId + ") at step " + step
        + " is " + value + ": metric values must be finite, because NaN and infinities cannot be compared in "
        + "searches or stored in standard JSON. Nothing was written. Skip the value, or record the event as a tag, "
        + "e.g. run.setTag(\"diverged\", \"true\").");
  }

  /** A run that has ended was written to. */
  public static RunNotActiveException runEnded(String action, String runName, String runId, Object status) {
    return new RunNotActiveException("Cannot " + action + ": run '" + runName + "' (" + runId + ") has already ended "
        + "as " + status + ". Log before ending it, or start a new run.");
  }

  /** A run end status that is not an end. */
  public static IllegalArgumentException badEndStatus(Object status) {
    return new IllegalArgumentException("A run ends as FINISHED, FAILED or KILLED, not " + status + ".");
  }

  /** A run search over no experiment. */
  public static IllegalArgumentException searchWithoutExperiments(Collection<String> existing) {
    return new IllegalArgumentException("searchRuns needs at least one experiment name; existing ones: " + existing
        + ".");
  }

  /** A run search limit below 1. */
  public static IllegalArgumentException badSearchLimit(int limit) {
    return new IllegalArgumentException("The limit of searchRuns must be at least 1, not " + limit + ".");
  }

  // ------------------------------------------------------------------------------- registry and scoring

  /** createModel of a name that exists. */
  public static ModelAlreadyExistsException modelExists(String name) {
    return new ModelAlreadyExistsException("Model '" + name + "' already exists. Register versions of it with "
        + "registry.register(\"" + name + "\", runUri), or pick another name.");
  }

  /** A registered package whose checksums changed after registration. */
  public static ModelIntegrityException packageReplaced(String what, String digest, String registered) {
    return new ModelIntegrityException(what + ": the package's checksums.json differs from the one registered (SHA-256 "
        + digest + ", registered " + registered + "): the package was replaced after registration. Refusing to load "
        + "it; register a new version from a trusted source.");
  }

  /** Rows that do not fit a model's signature. */
  public static PredictionInputException rowsDoNotFit(java.util.List<String> problems, Object inputs) {
    return new PredictionInputException("The rows do not fit the model's signature: " + String.join("; ", problems)
        + ". Expected inputs: " + inputs + ".");
  }

  /** Scoring by keys with a model that has no feature spec. */
  public static PredictionInputException noFeatureSpec() {
    return new PredictionInputException("This model was not trained from a training set, so it has no feature spec "
        + "to look features up with. Call predict(rows) with the feature columns.");
  }

  /** Scoring keys without the spec's lookup keys. */
  public static PredictionInputException missingLookupKeys(Collection<String> missing, Collection<String> columns) {
    return new PredictionInputException("Scoring keys lack the lookup key column(s) " + missing + " of the model's "
        + "feature spec; the frame has " + columns + ".");
  }

  /** Scoring by keys without a workspace. */
  public static PredictionInputException noWorkspace() {
    return new PredictionInputException("This predictor has no workspace to look features up in: load it with "
        + "Predictor.load(ws, uri), or give one with withFeatureStore(FeatureStore.of(ws)), to score by keys.");
  }

  /** A holdout fraction outside (0, 1). */
  public static TrainingException badHoldout(double fraction) {
    return new TrainingException("Holdout fraction " + fraction + " must be between 0 and 1 (exclusive), e.g. 0.2.");
  }

  /** Fewer than two folds. */
  public static TrainingException badFolds(int folds) {
    return new TrainingException("k-fold validation needs at least 2 folds, not " + folds + ".");
  }

  // ------------------------------------------------------------------------------- registration

  /** A package directory to register is not a directory. */
  public static ArtifactNotFoundException notAPackageDirectory(Path src, String model) {
    return new ArtifactNotFoundException("Cannot register " + src + " as model '" + model + "': it is not a "
        + "directory. Pass a package directory written by ModelPackage.writeTo or run.logModel.", src.toString());
  }

  /** Registration takes a runs:/ URI only. */
  public static InvalidModelUriException registerNeedsRunUri(String uri) {
    return new InvalidModelUriException("Register from a runs:/<run-id>/<path> URI, not '" + uri + "': log the model"
        + " to a run first (run.logModel(\"model\", pkg), or Trainer.run(run)), then register run.artifactUri(\"model\")"
        + "; a trained model registers itself with model.register(registry, name). A models:/ URI is registered already.");
  }

  // ------------------------------------------------------------------------------- model packages

  /** A package directory that exists already. */
  public static dev.mlops.core.MlopsException packageExists(Path dir) {
    return new dev.mlops.core.MlopsException("Cannot write a model package to " + dir + ": it already exists. "
        + "Packages are immutable; write to a new directory (or a new artifact path).");
  }

  /** Another writer created the package directory first. */
  public static dev.mlops.core.MlopsException packageRace(Path dir, Exception e) {
    return new dev.mlops.core.MlopsException("Cannot write a model package to " + dir + ": another writer created it "
        + "first.", e);
  }

  /** An I/O failure, with the operation and path. */
  public static dev.mlops.core.StorageException io(String operation, java.io.IOException e) {
    return new dev.mlops.core.StorageException("Cannot " + operation + ": " + e.getMessage(), e);
  }

  /** A model that Java serialization cannot write. */
  public static dev.mlops.core.MlopsException notSerializable(String modelClass, Exception e) {
    return new dev.mlops.core.MlopsException("The model " + modelClass + " cannot be serialized: it holds a "
        + "non-serializable " + e.getMessage() + ". For Smile models, build frames from primitive columns "
        + "(IntVector, not Integer objects) so no lambda ends up in the model.", e);
  }

  /** A package descriptor that cannot be parsed. */
  public static ModelIntegrityException unreadableDescriptor(Path file, Exception e) {
    return new ModelIntegrityException("The descriptor " + file + " cannot be read (" + e.getMessage() + "); the "
        + "package is damaged.", e);
  }

  /** A flavor name that is not allowed. */
  public static IllegalArgumentException badFlavor(String flavor) {
    return new IllegalArgumentException("Flavor '" + flavor + "' is not allowed: use a lower-case name such as "
        + "'smile' or 'java'.");
  }

  /** An input example over 100 rows. */
  public static IllegalArgumentException exampleTooLarge(int rows) {
    return new IllegalArgumentException("The input example has " + rows + " rows; keep it small (at most 100), e.g. "
        + "frame.head(5).");
  }

  /** A package hyperparameter of the wrong kind. */
  public static IllegalArgumentException badPackageHyperparameter(String key, Object what, String fix) {
    return new IllegalArgumentException("Hyperparameter '" + key + "' is " + what + "; " + fix + ".");
  }

  /** A package metric that is not finite. */
  public static IllegalArgumentException badPackageMetric(String key, double value) {
    return new IllegalArgumentException("Metric '" + key + "' is " + value + "; metric values must be finite.");
  }

  /** A negative or null training duration. */
  public static IllegalArgumentException badTrainingDuration(Object value) {
    return new IllegalArgumentException("trainingDuration must be zero or positive, not " + value + ".");
  }

  /** build() without a model. */
  public static IllegalStateException packageWithoutModel() {
    return new IllegalStateException("A model package needs a model: call model(object) before build().");
  }

  /** A map that is not JSON-like. */
  public static IllegalArgumentException notJsonLike(String what, Exception cause) {
    return new IllegalArgumentException(what + ": it must be JSON-like: text, numbers, booleans, lists and maps.",
        cause);
  }

  // ------------------------------------------------------------------------------- formats

  /** A file declares a format version newer than this release reads. */
  public static UnsupportedFormatException newerFormat(Path file, int found, int supported) {
    return newerFormat(file, found, supported, file.toString());
  }

  /** A file (named by where: its path or URI) of a newer format version than this release reads. */
  public static UnsupportedFormatException newerFormat(Path file, int found, int supported, String where) {
    return new UnsupportedFormatException(where + " has formatVersion " + found + ", but this SDK release reads "
        + "format versions up to " + supported + ": it was written by a newer release. Upgrade the SDK to read it; "
        + "nothing was changed.", file, found, supported);
  }

  // ------------------------------------------------------------------------------- training

  /** A hyperparameter is out of its range. */
  public static TrainingException hyperparameter(String algorithm, String key, Object value, String allowed) {
    return new TrainingException("Hyperparameter '" + key + "' of " + algorithm + " is " + value + "; allowed: "
        + allowed + ". Change it with Algorithm." + algorithm + "()." + key + "(value).");
  }

  /** A saved algorithm name is unknown. */
  public static TrainingException unknownAlgorithm(String name) {
    return new TrainingException("Unknown algorithm '" + name + "'. Known: [logisticRegression, randomForest, "
        + "gradientBoosting, linearRegression, ridge, lasso]. The training config was written by another release.");
  }

  /** A saved hyperparameter does not apply to its algorithm. */
  public static TrainingException unknownHyperparameter(String algorithm, String key, Collection<String> known) {
    return new TrainingException("Hyperparameter '" + key + "' does not apply to " + algorithm + "; it takes "
        + (known.isEmpty() ? "none" : known) + ".");
  }

  /** The trainer has no label. */
  public static TrainingException noLabel() {
    return new TrainingException("No label: call .label(\"column\") (or build the training set with .label(..)).");
  }

  /** A named column is missing from the training data. */
  public static TrainingException missingColumn(String role, String column, Collection<String> columns) {
    return new TrainingException(role + " column '" + column + "' is missing from the training data. Columns: "
        + columns + ".");
  }

  /** The algorithm does not do the task. */
  public static TrainingException wrongTask(String algorithm, Object task, Object tasks) {
    return new TrainingException("Algorithm " + algorithm + " does not do " + task + "; it does " + tasks
        + ". Pick another algorithm or task.");
  }

  /** The label is among the features. */
  public static TrainingException labelIsFeature(String label) {
    return new TrainingException("The label '" + label + "' is also listed as a feature; remove it from features.");
  }

  /** Nothing is left to learn from. */
  public static TrainingException noFeatures(String label, Collection<String> excluded) {
    return new TrainingException("No feature columns left (label '" + label + "', excluded " + excluded
        + "). Name features with .features(..).");
  }

  /** Every label is null. */
  public static TrainingException labelAllNull(String label, int rows) {
    return new TrainingException("Label column '" + label + "' is null in all " + rows + " rows: there is nothing to "
        + "learn. Check the label's source or the join that produced it.");
  }

  /** A classification label of a type that is not a class. */
  public static TrainingException labelNotClass(String label, Object type) {
    return new TrainingException("Label '" + label + "' is " + type + ", which is not a class type (boolean, string, "
        + "int or long). For a numeric target use Task.REGRESSION; else convert the label.");
  }

  /** A classification label with one class. */
  public static TrainingException singleClass(String label, String onlyClass, int rows) {
    return new TrainingException("Label '" + label + "' has a single class (" + onlyClass + ") in " + rows
        + " rows: a classifier needs at least two. Check the data or the label.");
  }

  /** A regression label that is not numeric. */
  public static TrainingException labelNotNumeric(String label, Object type) {
    return new TrainingException("Label '" + label + "' is " + type + "; regression needs a numeric label (long, int,"
        + " double). For classes use Task.CLASSIFICATION.");
  }

  /** Too few rows for the holdout. */
  public static TrainingException tooFewForHoldout(int rows, double fraction) {
    return new TrainingException("Only " + rows + " labelled rows: too few to hold out " + fraction
        + " for validation. Use Validation.none() or more data.");
  }

  /** Too few rows for the folds. */
  public static TrainingException tooFewForFolds(int rows, int folds) {
    return new TrainingException("Only " + rows + " labelled rows for " + folds + "-fold validation. Use fewer folds.");
  }

  /** A training part of one class. */
  public static TrainingException singleClassInPart(String label) {
    return new TrainingException("The training part holds a single class of '" + label + "'; use more data or"
        + " Validation.kFold / a smaller holdout.");
  }

  /** reproduce was given a URI that is not a registered version. */
  public static TrainingException notRegisteredVersion(String uri) {
    return new TrainingException(uri + " is not a registered version; reproduce takes models:/name/version or "
        + "models:/name@alias.");
  }

  /** reproduce was given a version registered without a run. */
  public static TrainingException versionWithoutRun(String name, int version) {
    return new TrainingException("Version " + version + " of " + name + " has no run, so its training data was not "
        + "recorded. Train inside a run to make versions reproducible.");
  }

  /** A file reproduce needs cannot be read. */
  public static TrainingException unreadableTrainingFile(String what, String runId, Exception e) {
    return new TrainingException("Cannot read the " + what + " of run " + runId + ": " + e.getMessage());
  }

  /** A null argument to a trainer entry point. */
  public static IllegalArgumentException nullArgument(String what, String fix) {
    return new IllegalArgumentException(what + " is null: " + fix + ".");
  }
}
