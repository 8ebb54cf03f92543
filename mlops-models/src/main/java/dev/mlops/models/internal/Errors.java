package dev.mlops.models.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.DataType;
import dev.mlops.core.InvalidNameException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.StorageException;
import dev.mlops.core.TableName;
import dev.mlops.core.internal.FileStore;
import dev.mlops.models.AliasNotFoundException;
import dev.mlops.models.ArtifactNotFoundException;
import dev.mlops.models.DeploymentException;
import dev.mlops.models.DeploymentJobNotFoundException;
import dev.mlops.models.ExperimentNotFoundException;
import dev.mlops.models.GateExpressionException;
import dev.mlops.models.InvalidMetricException;
import dev.mlops.models.InvalidModelUriException;
import dev.mlops.models.ModelAlreadyExistsException;
import dev.mlops.models.ModelIntegrityException;
import dev.mlops.models.ModelNotFoundException;
import dev.mlops.models.ModelVersionNotFoundException;
import dev.mlops.models.NoPendingApprovalException;
import dev.mlops.models.ParamConflictException;
import dev.mlops.models.PredictionInputException;
import dev.mlops.models.RunNotActiveException;
import dev.mlops.models.RunNotFoundException;
import dev.mlops.models.TaskResult;
import dev.mlops.models.TrainingException;
import dev.mlops.models.UnsafePathException;
import dev.mlops.models.UnsupportedFormatException;
import dev.mlops.models.internal.deploy.Engine;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.InvalidObjectException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.OptionalInt;
import java.util.Set;

/**
 * Every user-facing message of the models module, built in one place (after Delta Kernel's
 * {@code DeltaErrors}): each method says what went wrong, why, and how to fix it, and puts the
 * offending values on the exception it returns. Callers {@code throw Errors.x(..)};
 * {@code MessagesInOnePlaceTest} keeps messages from being written at call sites again. Methods marked
 * "Internal" report invariants that cannot happen through the public API.
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

  // ---------------------------------------------------------------------------------- DeploymentJob

  /**
   * A deployment job needs at least one task, e.g. DeploymentTask.evaluate(..),
   * DeploymentTask.manualApproval() and DeploymentTask.deploy("champion", "previous").
   */
  public static IllegalArgumentException jobWithoutTasks() {
    return new IllegalArgumentException("A deployment job needs at least one task, e.g. DeploymentTask.evaluate(..), "
        + "DeploymentTask.manualApproval() and DeploymentTask.deploy(\"champion\", \"previous\").");
  }

  /** Two tasks of the deployment job are named '{name}'. */
  public static IllegalArgumentException duplicateTaskName(String name, List<String> tasks) {
    return new IllegalArgumentException("Two tasks of the deployment job are named '" + name + "': names must be "
        + "unique (the approval tag is named after its task). Tasks: " + tasks + ".");
  }

  // ------------------------------------------------------------------------------- DeploymentRunner

  /** A runner's poll interval must be positive, not {interval}. */
  public static IllegalArgumentException badPollInterval(Duration interval) {
    return new IllegalArgumentException("A runner's poll interval must be positive, not " + interval + ".");
  }

  // ------------------------------------------------------------------------------------ Deployments

  /** A runner lease must be positive, not {lease}. */
  public static IllegalArgumentException badLease(Duration lease) {
    return new IllegalArgumentException("A runner lease must be positive, not " + lease + ".");
  }

  /** A runner id must not be blank. */
  public static IllegalArgumentException blankRunnerId() {
    return new IllegalArgumentException("A runner id must not be blank: give one that names this runner in the audit "
        + "log, e.g. 'nightly-runner-1', or keep the default.");
  }

  // ------------------------------------------------------------------------------------- Evaluation

  /** No metric '{name}'. */
  public static TrainingException metricNotEvaluated(String name, Set<String> metrics) {
    return new TrainingException("No metric '" + name + "'; this evaluation has " + metrics + ".");
  }

  // --------------------------------------------------------------------------------- EvaluationData

  /** Evaluation rows are empty. */
  public static IllegalArgumentException noEvaluationRows() {
    return new IllegalArgumentException("Evaluation rows are empty: pass the labelled rows to score the new version "
        + "and the champion on.");
  }

  /** Delta table versions start at 0, not {version} (table '{table}'). */
  public static IllegalArgumentException badTableVersion(long version, String table) {
    return new IllegalArgumentException("Delta table versions start at 0, not " + version + " (table '" + table
        + "'). Pin the version the evaluation should read, e.g. table.version().");
  }

  // ------------------------------------------------------------------------------------- Experiment

  /** A run body threw a checked exception. */
  public static MlopsException runFailed(String runName, String runId, Exception e) {
    return new MlopsException("Run '" + runName + "' (" + runId + ") failed: " + e, e);
  }

  // ------------------------------------------------------------------------------------ LoadedModel

  /** {what} has no {modelFile} in its checksums. */
  public static ModelIntegrityException noModelFileChecksum(String what, String modelFile) {
    return new ModelIntegrityException(what + " has no " + modelFile + " in its checksums.");
  }

  /** {what} holds a {modelClass}, not a {wanted}. */
  public static MlopsException modelOfOtherClass(String what, String modelClass, String wanted) {
    return new MlopsException(what + " holds a " + modelClass + ", not a " + wanted + ". Ask for the model's class "
        + "(descriptor().modelClass()) or a supertype.");
  }

  // ----------------------------------------------------------------------------------------- Metric

  /** Metric '{key}' has value {value}. */
  public static IllegalArgumentException nonFiniteMetricValue(String key, double value) {
    return new IllegalArgumentException("Metric '" + key + "' has value " + value + ": metric values must be finite "
        + "(NaN and infinities are refused).");
  }

  // ---------------------------------------------------------------------------------- ModelRegistry

  /** Cannot list {dir}. */
  public static StorageException cannotList(Path dir, IOException e) {
    return new StorageException("Cannot list " + dir + ": " + e.getMessage(), e);
  }

  /** Cannot create a local temp directory to stage a version of model '{model}'. */
  public static StorageException noStagingDirectory(TableName model, IOException e) {
    return new StorageException("Cannot create a local temp directory to stage a version of model '" + model + "': "
        + e.getMessage() + ". Check java.io.tmpdir.", e);
  }

  /** Could not number a new version of model '{model}' after 10000 attempts. */
  public static StorageException versionNumberingRace(TableName model, String versionsDir) {
    return new StorageException("Could not number a new version of model '" + model + "' after 10000 attempts; the "
        + "versions directory " + versionsDir + " keeps changing.", null);
  }

  /** Cannot copy version {version} of model '{model}' from {from} to {target}. */
  public static StorageException cannotCopyVersion(int version, String model, String from, Path target, IOException e) {
    return new StorageException("Cannot copy version " + version + " of model '" + model + "' from " + from + " to "
        + target + ": " + e.getMessage(), e);
  }

  // --------------------------------------------------------------------------------------- ModelUri

  /** A model URI is null. */
  public static InvalidModelUriException nullModelUri(String forms) {
    return new InvalidModelUriException("A model URI is null. " + forms);
  }

  /** Malformed model URI '{uri}'. */
  public static InvalidModelUriException malformedModelUri(String uri, String forms, InvalidNameException e) {
    return new InvalidModelUriException("Malformed model URI '" + uri + "': " + e.getMessage() + " " + forms, e);
  }

  // ----------------------------------------------------------------------------------- ModelVersion

  /** Model versions start at 1, not {version}. */
  public static IllegalArgumentException badVersionNumber(int version) {
    return new IllegalArgumentException("Model versions start at 1, not " + version + ".");
  }

  // ------------------------------------------------------------------------------ PreparedPredictor

  /** Class probabilities asked of a regressor. */
  public static PredictionInputException regressorHasNoProbabilities() {
    return new PredictionInputException("This model is a regressor: it has no class probabilities. Call predict(row).");
  }

  /** The row lacks input columns of the model. */
  public static PredictionInputException missingInputColumns(List<String> missing, List<String> inputs) {
    return new PredictionInputException("The row lacks the input column(s) " + missing + "; the model takes " + inputs
        + " (put null for a missing value where the column allows nulls).");
  }

  /** A row (or none) with another number of values than the model takes. */
  public static PredictionInputException wrongValueCount(Object[] row, int expected, List<String> inputs) {
    return new PredictionInputException("The row has " + (row == null ? "no" : row.length) + " values but the model "
        + "takes " + expected + ": " + inputs + ", in this order.");
  }

  /** Column '{column}' is null but had no nulls in training. */
  public static PredictionInputException unexpectedNull(String column, DataType type) {
    return new PredictionInputException("Column '" + column + "' is null but had no nulls in training; give a " + type
        + " value.");
  }

  /** Column '{column}' holds a value of another type than the model takes. */
  public static PredictionInputException wrongValueType(String column, Object value, String valueClass, DataType type,
      String javaType, List<String> inputs) {
    return new PredictionInputException("Column '" + column + "' is " + value + " (" + valueClass + ") but the model "
        + "takes " + type + " (a " + javaType + "); values in order " + inputs + ".");
  }

  // -------------------------------------------------------------------------------------------- Run

  /** Cannot log {file} as an artifact. */
  public static InvalidNameException symlinkArtifact(Path file) {
    return new InvalidNameException("Cannot log " + file + " as an artifact: it is a symbolic link, which could point "
        + "outside the directory. Copy the target instead.");
  }

  /** A model needs its own artifact path, e.g. 'model', not the run's root. */
  public static InvalidNameException modelAtArtifactRoot() {
    return new InvalidNameException("A model needs its own artifact path, e.g. 'model', not the run's root.");
  }

  /** Cannot create a local temp directory for model '{path}' of run {runId}. */
  public static StorageException noModelTempDirectory(String path, String runId, IOException e) {
    return new StorageException("Cannot create a local temp directory for model '" + path + "' of run " + runId + ": "
        + e.getMessage() + ". Check java.io.tmpdir.", e);
  }

  /** Cannot upload model '{path}' of run {runId} to {target}. */
  public static StorageException cannotUploadModel(String path, String runId, String target, IOException e) {
    return new StorageException("Cannot upload model '" + path + "' of run " + runId + " to " + target + ": "
        + e.getMessage(), e);
  }

  /** Artifact path '{path}' leaves the run's artifact directory. */
  public static InvalidNameException artifactPathEscapes(String path) {
    return new InvalidNameException("Artifact path '" + path + "' leaves the run's artifact directory. Use a relative "
        + "path without '..' segments, e.g. 'model' or 'plots/roc.png'.");
  }

  // ------------------------------------------------------------------------------------- TaskResult

  /** A {outcome} task result needs a message saying why. */
  public static IllegalArgumentException taskResultWithoutMessage(TaskResult.Outcome outcome) {
    return new IllegalArgumentException("A " + outcome + " task result needs a message saying why.");
  }

  // --------------------------------------------------------------------------------------- Tracking

  /** Cannot copy the artifact {artifact} of run {runId} to {target}. */
  public static StorageException cannotCopyArtifact(String artifact, String runId, Path target, IOException e) {
    return new StorageException("Cannot copy the artifact " + artifact + " of run " + runId + " to " + target + ": "
        + e.getMessage(), e);
  }

  /** Cannot list the artifacts of run {runId} in {dir}. */
  public static StorageException cannotListArtifacts(String runId, Path dir, IOException e) {
    return new StorageException("Cannot list the artifacts of run " + runId + " in " + dir + ": " + e.getMessage(), e);
  }

  /** The run name '{name}' is not allowed. */
  public static InvalidNameException badRunName(String name) {
    return new InvalidNameException("The run name '" + name + "' is not allowed: give 1 to 250 printable characters, "
        + "e.g. 'rf-100-trees'.");
  }

  // ----------------------------------------------------------------------------- internal/Checksums

  /** Internal: the runtime has no SHA-256. */
  public static IllegalStateException noSha256(NoSuchAlgorithmException e) {
    return new IllegalStateException("Every Java runtime has SHA-256", e);
  }

  /** Cannot read {file} to check it. */
  public static StorageException cannotReadToCheck(Path file, IOException e) {
    return new StorageException("Cannot read " + file + " to check it: " + e.getMessage(), e);
  }

  /** {what} contains a symbolic link {link}. */
  public static ModelIntegrityException symlinkInPackage(String what, Path link) {
    return new ModelIntegrityException(what + " contains a symbolic link " + link + "; packages hold regular files "
        + "only. Rebuild the package.");
  }

  /** {what} has no {checksumsFile} at {dir}. */
  public static ModelIntegrityException noChecksums(String what, String checksumsFile, Path dir) {
    return new ModelIntegrityException(what + " has no " + checksumsFile + " at " + dir + ": it is not a model "
        + "package, or it was not written completely. Write packages with ModelPackage.writeTo or registry.register.");
  }

  /** Cannot read {file}. */
  public static StorageException cannotRead(Path file, IOException e) {
    return new StorageException("Cannot read " + file + ": " + e.getMessage(), e);
  }

  /** {what} has a damaged {checksumsFile} ({e.message}). */
  public static ModelIntegrityException damagedChecksums(String what, String checksumsFile, IOException e) {
    return new ModelIntegrityException(what + " has a damaged " + checksumsFile + " (" + e.getMessage()
        + "); the package cannot be trusted. Register it again from its source.", e);
  }

  /** {what} has a {checksumsFile} without SHA-256 entries. */
  public static ModelIntegrityException checksumsWithoutSha256(String what, String checksumsFile) {
    return new ModelIntegrityException(what + " has a " + checksumsFile + " without SHA-256 entries; rebuild the "
        + "package.");
  }

  /** {what} is missing file '{file}' listed in {checksumsFile} (at {dir}). */
  public static ModelIntegrityException packageFileMissing(String what, String file, String checksumsFile, Path dir) {
    return new ModelIntegrityException(what + " is missing file '" + file + "' listed in " + checksumsFile + " (at "
        + dir + "). The package was damaged or partly deleted; register it again from its source.");
  }

  /** {what} holds file '{file}' that {checksumsFile} does not list (at {dir}). */
  public static ModelIntegrityException packageFileUnlisted(String what, String file, String checksumsFile, Path dir) {
    return new ModelIntegrityException(what + " holds file '" + file + "' that " + checksumsFile + " does not list (at "
        + dir + "). Something added it after the package was written; remove it or rebuild.");
  }

  /** {what}: file '{file}' has {size} bytes but was written with {expected} (truncated or altered). */
  public static ModelIntegrityException packageFileSizeChanged(String what, String file, long size, long expected) {
    return new ModelIntegrityException(what + ": file '" + file + "' has " + size + " bytes but was written with "
        + expected + " (truncated or altered). Refusing to load it; register it again.");
  }

  /** {what}: file '{file}' does not match its SHA-256 (expected {expected}, found {found}). */
  public static ModelIntegrityException packageFileModified(String what, String file, String expected, String found) {
    return new ModelIntegrityException(what + ": file '" + file + "' does not match its SHA-256 (expected " + expected
        + ", found " + found + "): it was modified after the package was written. Refusing to load it; register it "
        + "again from a trusted source.");
  }

  // ------------------------------------------------------------------------ internal/CompiledForest

  /** A multi-class gradient boosting model without one tree list per class. */
  public static CompiledForest.Unsupported boostingWithoutTreesPerClass() {
    return new CompiledForest.Unsupported("a multi-class gradient boosting model without one tree list per class");
  }

  /** Classes with different numbers of trees. */
  public static CompiledForest.Unsupported unevenTreesPerClass() {
    return new CompiledForest.Unsupported("classes with different numbers of trees");
  }

  /** Not a Smile tree ensemble: names the model's class. */
  public static CompiledForest.Unsupported notATreeEnsemble(Object model) {
    return new CompiledForest.Unsupported("not a Smile tree ensemble ("
        + (model == null ? "null" : model.getClass().getName()) + ")");
  }

  /** No trees. */
  public static CompiledForest.Unsupported noTrees() {
    return new CompiledForest.Unsupported("no trees");
  }

  /** The ensemble's formula is {formula}, not {lhs} over x0..x{lastInput}. */
  public static CompiledForest.Unsupported unexpectedFormula(String formula, String lhs, int lastInput) {
    return new CompiledForest.Unsupported("the ensemble's formula is " + formula + ", not " + lhs + " over x0..x"
        + lastInput);
  }

  /** A tree with a formula of its own. */
  public static CompiledForest.Unsupported treeWithOwnFormula() {
    return new CompiledForest.Unsupported("a tree with a formula of its own");
  }

  /** Cannot read {className}.{field} ({e}). */
  public static CompiledForest.Unsupported unreadableField(String className, String field, Exception e) {
    return new CompiledForest.Unsupported("cannot read " + className + "." + field + " (" + e + ")");
  }

  /** A split on feature {feature} of {inputs} inputs. */
  public static CompiledForest.Unsupported splitOutOfRange(int feature, int inputs) {
    return new CompiledForest.Unsupported("a split on feature " + feature + " of " + inputs + " inputs");
  }

  /** OrdinalNode.value is not readable. */
  public static CompiledForest.Unsupported unreadableOrdinalValue() {
    return new CompiledForest.Unsupported("OrdinalNode.value is not readable");
  }

  /** OrdinalNode.value is not readable ({e}). */
  public static CompiledForest.Unsupported unreadableOrdinalValue(IllegalAccessException e) {
    return new CompiledForest.Unsupported("OrdinalNode.value is not readable (" + e + ")");
  }

  /** A {splitClass} split (only ordinal splits are compiled). */
  public static CompiledForest.Unsupported nonOrdinalSplit(String splitClass) {
    return new CompiledForest.Unsupported("a " + splitClass + " split (only ordinal splits are compiled)");
  }

  /** A count (inputs, thresholds of one input, leaves of one tree) over what the node packing holds. */
  public static CompiledForest.Unsupported layoutLimit(String what, long value, long limit) {
    return new CompiledForest.Unsupported(what + " " + value + " is over the compiled layout's limit of " + limit);
  }

  /** A split threshold that is NaN (no value goes to its true child). */
  public static CompiledForest.Unsupported nanThreshold(int feature) {
    return new CompiledForest.Unsupported("a split on feature " + feature + " with a NaN threshold");
  }

  /** A tree node of a type the compiler does not know. */
  public static CompiledForest.Unsupported unknownNode(smile.base.cart.Node node) {
    return new CompiledForest.Unsupported("a node of type " + (node == null ? "null" : node.getClass().getName()));
  }

  /** Internal: class probabilities asked of a compiled regressor. */
  public static IllegalStateException regressorHasNoClassProbabilities() {
    return new IllegalStateException("a regressor has no class probabilities");
  }

  /** Internal: regression values asked of a compiled classifier. */
  public static IllegalStateException classifierHasNoPredictedValues() {
    return new IllegalStateException("a classifier has no predicted values");
  }

  /** Internal: a regression value asked of a compiled classifier. */
  public static IllegalStateException classifierHasNoPredictedValue() {
    return new IllegalStateException("a classifier has no predicted value");
  }

  // -------------------------------------------------------------------------------- internal/Files2

  /** Cannot append to {file}. */
  public static StorageException cannotAppend(Path file, IOException e) {
    return new StorageException("Cannot append to " + file + ": " + e.getMessage(), e);
  }

  /** Cannot create directory {dir}. */
  public static StorageException cannotCreateDirectory(Path dir, IOException e) {
    return new StorageException("Cannot create directory " + dir + ": " + e.getMessage(), e);
  }

  /** Cannot copy {source}: the file does not exist. */
  public static StorageException copySourceMissing(Path source, NoSuchFileException e) {
    return new StorageException("Cannot copy " + source + ": the file does not exist.", e);
  }

  /** Cannot copy {source} to {target}. */
  public static StorageException cannotCopy(Path source, Path target, IOException e) {
    return new StorageException("Cannot copy " + source + " to " + target + ": " + e.getMessage(), e);
  }

  /** Cannot write {file}. */
  public static StorageException cannotWrite(Path file, IOException e) {
    return new StorageException("Cannot write " + file + ": " + e.getMessage(), e);
  }

  /** Cannot force {file} to disk. */
  public static StorageException cannotForce(Path file, IOException e) {
    return new StorageException("Cannot force " + file + " to disk: " + e.getMessage(), e);
  }

  /** Interrupted while forcing files to disk. */
  public static StorageException interruptedForcing(InterruptedException e) {
    return new StorageException("Interrupted while forcing files to disk", e);
  }

  /** Cannot resolve the workspace root {root}. */
  public static StorageException unresolvableRoot(Path root, IOException e) {
    return new StorageException("Cannot resolve the workspace root " + root + ": " + e.getMessage(), e);
  }

  /** Cannot {what}: {existing} is a symbolic link to nowhere. */
  public static UnsafePathException danglingSymlink(String what, Path existing, IOException e, Path abs) {
    return new UnsafePathException("Cannot " + what + ": " + existing + " is a symbolic link to nowhere ("
        + e.getMessage() + "), so writing " + abs + " would follow it. Nothing was written. Remove the link; folders "
        + "inside the workspace must be real directories.", abs, existing);
  }

  /** Cannot {what}: {abs} leads outside the workspace through a symbolic link. */
  public static UnsafePathException symlinkOutsideWorkspace(String what, Path abs, Path realRoot, Path existing,
      Path real) {
    return new UnsafePathException("Cannot " + what + ": " + abs + " leads outside the workspace " + realRoot
        + " through a symbolic link (" + existing + " is really " + real + "). Nothing was written. Folders inside the "
        + "workspace must be real directories: replace the link by a directory, or open the workspace where the data "
        + "should live.", abs, real);
  }

  // ------------------------------------------------------------------------------- internal/Formats

  /** Cannot read JSON file {path}. */
  public static StorageException unreadableJson(Path path, Exception e) {
    return new StorageException("Cannot read JSON file " + path + ": " + e.getMessage(), e);
  }

  /** Cannot read JSON file {where}. */
  public static StorageException unreadableJson(String where, Exception e) {
    return new StorageException("Cannot read JSON file " + where + ": " + e.getMessage(), e);
  }

  /** Cannot read {where}: '{field}' is not a JSON object. */
  public static StorageException fieldNotJsonObject(String where, String field) {
    return new StorageException("Cannot read " + where + ": '" + field + "' is not a JSON object. The file is damaged; "
        + "restore it from a backup.", null);
  }

  /** Cannot read {path}: it is not a JSON object. */
  public static StorageException notJsonObject(String path) {
    return new StorageException("Cannot read " + path + ": it is not a JSON object. The file is damaged; restore it "
        + "from a backup.", null);
  }

  /** Cannot read {path}: its formatVersion is not a positive integer. */
  public static StorageException badFormatVersion(String path, JsonNode formatVersion) {
    return new StorageException("Cannot read " + path + ": its formatVersion " + formatVersion + " is not a positive "
        + "integer. The file is damaged; restore it from a backup.", null);
  }

  // --------------------------------------------------------------------------------- internal/Locks

  /** Cannot create the lock file {file}. */
  public static StorageException cannotCreateLockFile(Path file, IOException e) {
    return new StorageException("Cannot create the lock file " + file + ": " + e.getMessage(), e);
  }

  // --------------------------------------------------------------------------- internal/ModelBundle

  /** A deserialized trained model whose state is inconsistent ({what} says how). */
  public static InvalidObjectException badTrainedModel(String what) {
    return new InvalidObjectException("the trained model " + what);
  }

  // --------------------------------------------------------------------------------- internal/Names

  /** The {what} {quotedKey} is not a valid key. */
  public static InvalidNameException badKey(String what, String quotedKey) {
    return new InvalidNameException("The " + what + " " + quotedKey + " is not allowed: a key is 1 to 250 letters, "
        + "digits, '_', '.' or '-', starting with a letter, digit or '_' and without '..', because it becomes a file "
        + "name. For example 'val_auc' or 'train.loss'.");
  }

  /** The experiment name {quotedName} is not allowed. */
  public static InvalidNameException badExperimentName(String quotedName) {
    return new InvalidNameException("The experiment name " + quotedName + " is not allowed: use 1 to 200 letters, "
        + "digits, '_', '.' or '-' (no '/', spaces or '..'), starting with a letter, digit or '_'; names are "
        + "case-insensitive. For example 'churn' or 'churn-v2'.");
  }

  /** The alias {quotedAlias} of model '{model}' is not allowed. */
  public static InvalidNameException badAlias(String quotedAlias, String model) {
    return new InvalidNameException("The alias " + quotedAlias + " of model '" + model + "' is not allowed: an alias "
        + "is 1 to 255 letters, digits, '_' or '-' starting with a letter, e.g. 'champion'.");
  }

  /** The alias '{alias}' of model '{model}' is reserved. */
  public static InvalidNameException reservedAlias(String alias, String model) {
    return new InvalidNameException("The alias '" + alias + "' of model '" + model + "' is reserved: 'latest' and "
        + "'v<number>' would be confused with version references in model URIs. Pick another, e.g. 'champion'.");
  }

  /** The run id {quotedId} is not a run id. */
  public static InvalidNameException badRunId(String quotedId) {
    return new InvalidNameException("The run id " + quotedId + " is not a run id: run ids are 32 lower-case "
        + "hexadecimal digits, as returned by run.id(). Check for a truncated or mistyped id.");
  }

  /** An artifact path is null. */
  public static InvalidNameException nullArtifactPath() {
    return new InvalidNameException("An artifact path is null: pass \"\" for the run's artifact root, or a relative "
        + "path such as 'model' or 'plots/roc'.");
  }

  /** The artifact path '{path}' is not allowed. */
  public static InvalidNameException badArtifactPath(String path, String quotedSegment) {
    return new InvalidNameException("The artifact path '" + path + "' is not allowed: segment " + quotedSegment
        + " breaks the rule. Use a relative path of '/'-separated names made of letters, digits, '_', '.' or '-' (no "
        + "leading '/', no empty, '.' or '..' segments, no names starting with '.'), so the artifact stays inside the "
        + "run. For example 'model' or 'plots/roc.png'.");
  }

  // ------------------------------------------------------------------------------ internal/Pipeline

  /** Feature column '{column}' is {sqlType}, which the trainer cannot use. */
  public static TrainingException unusableFeatureType(String column, String sqlType) {
    return new TrainingException("Feature column '" + column + "' is " + sqlType + ", which the trainer cannot use: it "
        + "takes numbers, booleans, strings, dates and timestamps. Exclude it (Trainer.exclude(\"" + column
        + "\")) or derive a column of one of those types from it.");
  }

  /** Every feature {features} is constant over the training rows. */
  public static TrainingException allFeaturesConstant(List<String> features) {
    return new TrainingException("Every feature " + features + " is constant over the training rows: there is nothing "
        + "to learn from. Check the feature columns.");
  }

  /** Column '{column}' has a level that training never saw. */
  public static PredictionInputException unseenLevel(String column, String level, int row, String[] known) {
    return new PredictionInputException("Column '" + column + "' has the level " + shownLevel(level) + " at row " + row
        + ", which training never saw (known levels: " + shownLevels(known) + "). Map it to a known level, or train "
        + "with Preprocessing.UnseenLevels.IGNORE.");
  }

  /** Column '{column}' has a level that training never saw. */
  public static PredictionInputException unseenLevel(String column, String level, String[] known) {
    return new PredictionInputException("Column '" + column + "' has the level " + shownLevel(level)
        + ", which training never saw (known levels: " + shownLevels(known) + "). Map it to a known level, or train "
        + "with Preprocessing.UnseenLevels.IGNORE.");
  }

  // ------------------------------------------------------------------------------ internal/RunIndex

  /** The run index at {dir} keeps changing while it is read. */
  public static StorageException runIndexUnstable(FileStore dir, Throwable cause) {
    return new StorageException("The run index at " + dir.uri("") + " keeps changing while it is read; retry the "
        + "search.", cause);
  }

  /** Cannot read run index segment {segment}. */
  public static StorageException cannotReadIndexSegment(String segment, IOException e) {
    return new StorageException("Cannot read run index segment " + segment + ": " + e.getMessage(), e);
  }

  /** Cannot encode run summaries for the index in {dir}. */
  public static StorageException cannotEncodeRunSummaries(FileStore dir, IOException e) {
    return new StorageException("Cannot encode run summaries for " + dir.uri("") + ": " + e.getMessage(), e);
  }

  // --------------------------------------------------------------------------- internal/SafeObjects

  /** An allow-list entry is null. */
  public static IllegalArgumentException nullAllowListEntry() {
    return new IllegalArgumentException("An allow-list entry is null: give a class name ('com.acme.Model'), a package "
        + "('com.acme.*') or a package tree ('com.acme.**').");
  }

  /** '{entry}' is not an allow-list entry. */
  public static IllegalArgumentException badAllowListEntry(String entry) {
    return new IllegalArgumentException("'" + entry + "' is not an allow-list entry: give a class name "
        + "('com.acme.Model'), a package ('com.acme.*') or a package tree ('com.acme.**').");
  }

  /** '{entry}' would admit a whole JDK package, which holds deserialization gadgets (e.g. java.util.PriorityQueue). */
  public static IllegalArgumentException wholeJdkPackage(String entry) {
    return new IllegalArgumentException("'" + entry + "' would admit a whole JDK package, which holds deserialization "
        + "gadgets (e.g. java.util.PriorityQueue). Name the exact JDK classes your model needs instead, e.g. "
        + "'java.util.ArrayList'.");
  }

  /** '{entry}' cannot be allow-listed. */
  public static IllegalArgumentException hashingClassAllowListed(String entry) {
    return new IllegalArgumentException("'" + entry + "' cannot be allow-listed: it hashes or compares its elements "
        + "while it is deserialized, so a crafted file (nested collections as keys) can make loading run for minutes. "
        + "Keep model state in arrays, lists or records, or in a java.util.HashMap with text or number keys (read "
        + "through a safe path).");
  }

  /** {what} contains a class that is never deserialized. */
  public static ModelIntegrityException refusedClass(String what, String className, String reason,
      InvalidClassException e) {
    return new ModelIntegrityException(what + " contains class " + className + ", which is never loaded: " + reason
        + ". Deserialization stopped there; the file is damaged or was crafted.", e);
  }

  /** {what} contains a class that is not on the allow-list. */
  public static ModelIntegrityException classNotAllowed(String what, String className, List<String> allow,
      InvalidClassException e) {
    return new ModelIntegrityException(what + " contains class " + className + ", which is not on the allow-list "
        + allow + ". Deserialization stopped there. If the package is trusted and the class is genuinely part of the "
        + "model, pass it to deserialize(type, \"" + className + "\").", e);
  }

  /** {what} is refused: its file exceeds the deserialization limits. */
  public static ModelIntegrityException overLimit(String what, Path fileName, String limit, InvalidClassException e) {
    return new ModelIntegrityException(what + " is refused: its " + fileName + " holds " + limit + ". Files written by "
        + "ModelPackage stay far below these limits, so this one is damaged or was crafted; nothing was loaded. "
        + "Register the model again from its source.", e);
  }

  /** {what} cannot be deserialized: its classes changed since it was written. */
  public static ModelIntegrityException incompatibleClass(String what, InvalidClassException e) {
    return new ModelIntegrityException(what + " cannot be deserialized: " + e.getMessage() + ". It was probably "
        + "written by another version of its classes; retrain or re-register it.", e);
  }

  /** {what} is damaged: a stored object is invalid. */
  public static ModelIntegrityException damagedObject(String what, InvalidObjectException e) {
    return new ModelIntegrityException(what + " is damaged: " + e.getMessage() + ". Nothing was loaded; register the "
        + "model again from its source (or retrain it).", e);
  }

  /** {what} needs class {e.message}, which is not on the classpath. */
  public static ModelIntegrityException classNotOnClasspath(String what, ClassNotFoundException e) {
    return new ModelIntegrityException(what + " needs class " + e.getMessage() + ", which is not on the classpath. Add "
        + "the library that defines it.", e);
  }

  /** {what} is not a valid serialized object ({e}). */
  public static ModelIntegrityException notSerializedObject(String what, IOException e) {
    return new ModelIntegrityException(what + " is not a valid serialized object (" + e + "): the file is damaged or "
        + "was not written by ModelPackage.", e);
  }

  /** {what} is damaged: its objects do not fit their classes. */
  public static ModelIntegrityException objectsDoNotFitClasses(String what, RuntimeException e) {
    return new ModelIntegrityException(what + " is damaged: its objects do not fit their classes (" + e.getMessage()
        + "). Nothing was loaded; register the model again from its source.", e);
  }

  /** {what}: {fileName} changed while it was loaded (SHA-256 {found}, expected {expected}). */
  public static ModelIntegrityException changedWhileLoading(String what, Path fileName, String found, String expected) {
    return new ModelIntegrityException(what + ": " + fileName + " changed while it was loaded (SHA-256 " + found
        + ", expected " + expected + "). The object was discarded; load again.");
  }

  // ---------------------------------------------------------------------------- internal/SmileModel

  /** Internal: a classifier was asked of a regression algorithm. */
  public static IllegalArgumentException notAClassifier(String algorithm) {
    return new IllegalArgumentException(algorithm + " is not a classifier");
  }

  /** Internal: a regressor was asked of a classification algorithm. */
  public static IllegalArgumentException notARegressor(String algorithm) {
    return new IllegalArgumentException(algorithm + " is not a regressor");
  }

  /** Interrupted while training. */
  public static TrainingException interruptedTraining() {
    return new TrainingException("Interrupted while training; the model was not trained.");
  }

  // ----------------------------------------------------------------------- internal/deploy/Builtins

  /** The deploy task '{task}' moves alias '{alias}' and keeps the previous holder under '{previous}'. */
  public static IllegalArgumentException sameDeployAliases(String task, String alias, String previous) {
    return new IllegalArgumentException("The deploy task '" + task + "' moves alias '" + alias + "' and keeps the "
        + "previous holder under '" + previous + "': they must differ, e.g. deploy(\"champion\", \"previous\").");
  }

  /** The deployment job of '{model}' has a task of a type this SDK does not know. */
  public static DeploymentException unknownTaskType(TableName model, String task, String type) {
    return new DeploymentException("The deployment job of '" + model + "' has a task '" + task + "' of type '" + type
        + "', which this version of the SDK does not know. Upgrade the SDK of this runner.");
  }

  /** Internal: the deploy task was run outside a deployment runner. */
  public static IllegalStateException deployOutsideRunner() {
    return new IllegalStateException("the deploy task runs inside a deployment runner");
  }

  // --------------------------------------------------------------------------- internal/deploy/Docs

  /** Internal: a run document names a task its job does not have. */
  public static IllegalStateException noSuchTask(String name) {
    return new IllegalStateException("no task " + name);
  }

  // ------------------------------------------------------------------------- internal/deploy/Engine

  /** No implementation of custom task '{task}' was given to this runner. */
  public static DeploymentException noCustomTask(String task, Map<String, Object> config) {
    return new DeploymentException("No implementation of custom task '" + task + "' (" + config.get("class")
        + ") was given to this runner: pass it with Deployments.withTasks(..).");
  }

  /** Version {version} of model '{model}' already has a deployment run ({state}). */
  public static DeploymentException alreadyDeployed(int version, TableName model, String state) {
    return new DeploymentException("Version " + version + " of model '" + model + "' already has a deployment run ("
        + state + "); a version is deployed by one run only. Register a new version to deploy again.");
  }

  /** Runner {runnerId} no longer holds the lease on a deployment run. */
  public static Engine.LostLease lostLease(String runnerId, int version, TableName model, String owner) {
    return new Engine.LostLease("Runner " + runnerId + " no longer holds the lease on the deployment run of version "
        + version + " of '" + model + "' (now held by " + owner + ").");
  }

  /** An approval of version {version} of '{model}' without the approver's name. */
  public static IllegalArgumentException noApprover(int version, TableName model, String approver) {
    return new IllegalArgumentException("An approval of version " + version + " of '" + model + "' needs the "
        + "approver's name (it goes into the audit log), not " + (approver == null ? "null" : "'" + approver + "'")
        + ".");
  }

  /** The deployment run of version {version} of model '{model}' is not waiting for a manual approval. */
  public static NoPendingApprovalException notAwaitingApproval(int version, TableName model, String state,
      String currentTask, boolean approve) {
    return new NoPendingApprovalException("The deployment run of version " + version + " of model '" + model + "' is "
        + state + (currentTask == null ? "" : " at task '" + currentTask + "'") + ", not waiting for a manual "
        + "approval, so it cannot be " + (approve ? "approved" : "rejected") + ". Check its state with "
        + "deployments.getRun(\"" + model + "\", " + version + ").");
  }

  /** Cannot roll back model '{model}': it has no alias '{previousAlias}'. */
  public static DeploymentException noPreviousAlias(TableName model, String previousAlias, String alias,
      Map<String, Integer> aliases) {
    return new DeploymentException("Cannot roll back model '" + model + "': it has no alias '" + previousAlias
        + "' (the version '" + alias + "' pointed to before the last deployment). Its aliases: " + aliases + ". Point '"
        + alias + "' at a version with registry.setAlias.");
  }

  // ---------------------------------------------------------------------- internal/deploy/Evaluator

  /** The built-in evaluate task cannot score {uri}: it is not a package written by Trainer. */
  public static DeploymentException notATrainerPackage(String uri, String flavor, String modelClass) {
    return new DeploymentException("The built-in evaluate task cannot score " + uri + ": it is a '" + flavor
        + "' package holding " + modelClass + ", and evaluate scores models trained with Trainer. Evaluate it in a "
        + "custom DeploymentTask instead.");
  }

  /** The built-in evaluate task cannot score {uri}: it holds no model trained with Trainer. */
  public static DeploymentException notATrainerModel(String uri, String modelClass, RuntimeException e) {
    return new DeploymentException("The built-in evaluate task cannot score " + uri + ": it holds a " + modelClass
        + ", not a model trained with Trainer (" + e.getMessage() + "). Evaluate it in a custom DeploymentTask "
        + "instead.", e);
  }

  /** The evaluation rows have no column '{label}', the label of {uri}. */
  public static DeploymentException noLabelColumn(String label, String uri, List<String> columns) {
    return new DeploymentException("The evaluation rows have no column '" + label + "', the label of " + uri
        + "; they have " + columns + ". Evaluate on labelled rows.");
  }

  /** The evaluation rows for {uri} have no row with a label '{label}'. */
  public static DeploymentException noLabelledRows(String uri, String label) {
    return new DeploymentException("The evaluation rows for " + uri + " have no row with a label '" + label
        + "'. Evaluate on labelled rows.");
  }

  /** The evaluation rows hold label values that {uri} never saw in training. */
  public static DeploymentException unknownLabelValues(Set<String> unknown, String label, String uri,
      List<String> classes) {
    return new DeploymentException("The evaluation rows hold label value(s) " + unknown + " in column '" + label
        + "' that " + uri + " never saw in training (its classes: " + classes + "). Evaluate on rows with the same "
        + "classes.");
  }

  // --------------------------------------------------------------------------- internal/deploy/Gate

  /** An approval gate is empty. */
  public static GateExpressionException emptyGate(String text) {
    return new GateExpressionException("An approval gate is empty: write a condition over metrics such as 'auc >= "
        + "champion.auc - 0.005 && auc >= 0.80'.", String.valueOf(text));
  }

  /** The approval gate '{text}' is a number, not a condition. */
  public static GateExpressionException numberGate(String text, String trimmed) {
    return new GateExpressionException("The approval gate '" + text + "' is a number, not a condition: compare it, "
        + "e.g. '" + trimmed + " >= 0.8'.", text);
  }

  /** The approval gate '{text}' of task '{task}' reads metric '{metric}', which no earlier task produces. */
  public static GateExpressionException gateMetricNotProduced(String text, String task, String metric,
      Set<String> known) {
    return new GateExpressionException("The approval gate '" + text + "' of task '" + task + "' reads metric '" + metric
        + "', which no earlier task produces. Known metrics: " + known + ". Fix the name, or put the task that "
        + "produces it (an evaluate task, or a custom task declaring it in metricNames()) before the gate.", text);
  }

  /** The approval gate '{text}' reads metric '{metric}', which the evaluation did not produce. */
  public static GateExpressionException gateMetricNotEvaluated(String text, String metric, Set<String> evaluated) {
    return new GateExpressionException("The approval gate '" + text + "' reads metric '" + metric + "', but the "
        + "evaluation produced only " + evaluated + " (a classification metric on a regression model, or the "
        + "reverse?). Change the gate or the evaluation.", text);
  }

  // -------------------------------------------------------------------------- internal/deploy/Store

  /** {file} has format version {version}, newer than the {supported} this SDK reads. */
  public static DeploymentException newerDeploymentFormat(String file, int version, int supported) {
    return new DeploymentException(file + " has format version " + version + ", newer than the " + supported
        + " this SDK reads. Upgrade the SDK of this process.");
  }

  /** The deployment job of '{model}' has evaluation data of kind '{kind}', which this SDK does not know. */
  public static DeploymentException unknownEvaluationData(TableName model, String kind) {
    return new DeploymentException("The deployment job of '" + model + "' has evaluation data of kind '" + kind
        + "', which this SDK does not know. Upgrade the SDK of this runner.");
  }

  /** Cannot store evaluation rows for the deployment job of '{model}'. */
  public static StorageException cannotStoreEvaluationRows(TableName model, IOException e) {
    return new StorageException("Cannot store evaluation rows for the deployment job of '" + model + "': "
        + e.getMessage(), e);
  }

  /** The evaluation rows of the deployment job of '{model}' changed after the job was attached. */
  public static DeploymentException evaluationRowsChanged(TableName model, String dir, String sha) {
    return new DeploymentException("The evaluation rows of the deployment job of '" + model + "' in " + dir
        + " changed after the job was attached (SHA-256 differs from " + sha + "). Attach the job again.");
  }

  /** Cannot read the evaluation rows {sha} of the deployment job of '{model}' in {dir}. */
  public static StorageException cannotReadEvaluationRows(String sha, TableName model, String dir, IOException e) {
    return new StorageException("Cannot read the evaluation rows " + sha + " of the deployment job of '" + model
        + "' in " + dir + ": " + e.getMessage(), e);
  }

  // ------------------------------------------------------------------------ internal/serial/HashMap

  /** A serialized map with a negative entry count. */
  public static InvalidObjectException badMapSize(int mappings) {
    return new InvalidObjectException("a map declares " + mappings + " entries");
  }

  /** A serialized map with a key of a class that is not allowed. */
  public static InvalidObjectException badMapKey(String keyClass, int entry) {
    return new InvalidObjectException("a map has a key of class " + keyClass + " (entry " + entry + "); model state "
        + "may only use text, numbers, booleans, characters or enum constants as map keys, because other keys (such as "
        + "nested maps) make loading cost grow exponentially");
  }

  // ------------------------------------------------------------------ not thrown directly (lambdas, helpers)

  /** A deployment run has no task of this name. */
  public static IllegalArgumentException noSuchRunTask(int version, String model, String task, List<String> tasks) {
    return new IllegalArgumentException("The deployment run of version " + version + " of '" + model + "' has no task '"
        + task + "'; its tasks: " + tasks + ".");
  }

  /** Forcing files to disk failed on a worker thread with a checked exception. */
  public static StorageException cannotForceFiles(Throwable cause) {
    return new StorageException("Cannot force files to disk: " + cause, cause);
  }

  /** A model without a deployment job. */
  public static DeploymentJobNotFoundException noDeploymentJob(TableName model) {
    return new DeploymentJobNotFoundException("Model '" + model + "' has no deployment job. Attach one with "
        + "deployments.attach(\"" + model + "\", DeploymentJob.of(...)).");
  }

  /** A job's custom task that this runner has no implementation of. */
  public static DeploymentException unknownCustomTask(String task) {
    return new DeploymentException("custom task '" + task + "' is not known to this runner: pass its implementation "
        + "with Deployments.withTasks(..).");
  }

  /** An approval or rejection of a version that has no deployment run. */
  public static NoPendingApprovalException noRunAwaitingApproval(int version, TableName model, boolean hasJob) {
    return new NoPendingApprovalException("Version " + version + " of model '" + model + "' has no deployment run "
        + "waiting for approval: " + (hasJob ? "it was registered before the job was attached or the runner has not "
            + "seen it yet (runPending, or startRun for an older version)." : "the model has no deployment job "
            + "(attach one first)."));
  }

  /** A version that has no deployment run. */
  public static DeploymentJobNotFoundException noDeploymentRun(int version, TableName model, boolean hasJob) {
    return new DeploymentJobNotFoundException("Version " + version + " of model '" + model + "' has no deployment run: "
        + (hasJob ? "it was registered before the job was attached, or no runner has seen it yet (call runPending)."
            : "the model has no deployment job (attach one with deployments.attach)."));
  }

  // ------------------------------------------------------------------------------- shared helpers

  /** A level as messages show it: quoted, or null. */
  private static String shownLevel(String level) {
    return level == null ? "null" : "'" + level + "'";
  }

  /** Known levels as messages show them, with the null level as null. */
  private static String shownLevels(String[] known) {
    return Arrays.toString(Arrays.stream(known).map(l -> l.equals(Pipeline.NULL_LEVEL) ? "null" : l).toArray());
  }
}
