package dev.mlops.features.internal;

import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.DataType;
import dev.mlops.core.KeyConstraintException;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.features.FeatureStoreException;
import java.util.List;

/**
 * Every user-facing message of the features module, built in one place (after Delta Kernel's
 * {@code DeltaErrors}): each method says what went wrong, why, and how to fix it, naming the table,
 * column or value. Callers {@code throw Errors.x(..)}; {@code MessagesInOnePlaceTest} keeps messages
 * from being written at call sites again.
 */
public final class Errors {
  private Errors() {}

  // ------------------------------------------------------------ FeatureSpec

  /** The lookup into {table} gives {lookupKeysSize} key column(s) {lookupKeys} for the primary key {primaryKeys}. */
  public static FeatureStoreException specLookupKeyCountMismatch(Object table, Object lookupKeysSize, Object lookupKeys,
      Object primaryKeys) {
    return new FeatureStoreException("The lookup into " + table + " gives " + lookupKeysSize + " key column(s) "
        + lookupKeys + " for the primary key " + primaryKeys + ". Give one spine column per primary key column.");
  }

  /** Feature '{f}' of the lookup into {table} has no type in featureTypes {featureTypesKeySet}. */
  public static FeatureStoreException featureLookupTypeFeatureTypes(Object f, Object table, Object featureTypesKeySet) {
    return new FeatureStoreException("Feature '" + f + "' of the lookup into " + table + " has no type in featureTypes "
        + featureTypesKeySet + ". Give the type of every feature taken.");
  }

  /** Default for '{eGetKey}' names a feature not taken from {table} (taken: {features}). */
  public static FeatureStoreException defaultNamesFeatureTaken(Object key, Object table, Object features) {
    return new FeatureStoreException("Default for '" + key + "' names a feature not taken from " + table
        + " (taken: " + features + ").");
  }

  /** Lookback window {lookback} for table {table} is negative. */
  public static FeatureStoreException specNegativeLookback(Object lookback, Object table) {
    return new FeatureStoreException("Lookback window " + lookback + " for table " + table + " is negative; give a"
        + " window of zero or more.");
  }

  /** A lookback window or a timestamp output applies to time-series tables only. */
  public static FeatureStoreException lookbackWindowTimestampOutput(Object table) {
    return new FeatureStoreException("A lookback window or a timestamp output applies to time-series tables only; "
        + table + " has no timestamp key.");
  }

  // ------------------------------------------------------------ FeatureStore

  /** The workspace is null. */
  public static IllegalArgumentException nullWorkspace() {
    return new IllegalArgumentException("The workspace is null: open one with Workspace.open(dir).");
  }

  /** The on-demand registry is null. */
  public static IllegalArgumentException nullOnDemandRegistry() {
    return new IllegalArgumentException("The on-demand registry is null: pass OnDemandRegistry.create(), or use"
        + " FeatureStore.of(ws) for the workspace's own registry.");
  }

  /** Tag key '{key}' of {table} is not allowed. */
  public static FeatureStoreException badTagKey(Object key, Object table) {
    return new FeatureStoreException("Tag key '" + key + "' of " + table + " is not allowed: use 1 to 128 letters,"
        + " digits, '_', '.' or '-'.");
  }

  /** write("{name}", rows, mode) got a null {value}. */
  public static IllegalArgumentException nullWriteArgument(Object name, boolean rowsNull) {
    return new IllegalArgumentException("write(\"" + name + "\", rows, mode) got a null " + (rowsNull ? "rows" : "mode")
        + ": pass a Frame"
        + " and WriteMode.MERGE, APPEND or OVERWRITE.");
  }

  /** Column '{fName}' is {columnType} in the data but {fType} in feature table {name}. */
  public static SchemaMismatchException columnTypeMismatch(Object fName, Object columnType, Object fType,
      Object name) {
    return new SchemaMismatchException("Column '" + fName + "' is " + columnType + " in the data but " + fType
        + " in feature table " + name + ". Convert the data; nothing was written.");
  }

  /** Key {rowKeysDescribe} is already in feature table {metaName}, so APPEND cannot add it. */
  public static KeyConstraintException keyAlreadyInTable(Object rowKeysDescribe, Object metaName) {
    return new KeyConstraintException("Key " + rowKeysDescribe + " is already in feature table " + metaName
        + ", so APPEND cannot add it. Use WriteMode.MERGE to replace existing rows; nothing was written.");
  }

  /** Key {key} appears more than once in the rows for feature table {metaName} (again at row {value}). */
  public static KeyConstraintException duplicateKey(Object key, Object metaName, Object value) {
    return new KeyConstraintException("Key " + key + " appears more than once in the rows for feature table " + metaName
        + " (again at row " + value + "). Keep one row per key; nothing was written.");
  }

  /** The rows for feature table {metaName} lack key column '{k}' (the table's keys are {keys}). */
  public static FeatureStoreException missingKeyColumn(Object metaName, Object k, Object keys) {
    return new FeatureStoreException("The rows for feature table " + metaName + " lack key column '" + k
        + "' (the table's keys are " + keys + "). Add it to the data.");
  }

  /** Key column '{k}' of feature table {metaName} is null at row {value} of the data ({cNullCount} null(s) in ... */
  public static KeyConstraintException nullKey(Object k, Object metaName, Object value,
      Object cNullCount) {
    return new KeyConstraintException("Key column '" + k + "' of feature table " + metaName + " is null at row " + value
        + " of the data (" + cNullCount + " null(s) in this batch). Every row needs a key; nothing was written.");
  }

  /** Key {inTableDescribe} (row {value} of {sourceDescribe}) is already in feature table {metaName}. */
  public static KeyConstraintException streamedKeyAlreadyInTable(Object inTableDescribe, Object value, Object sourceDescribe,
      Object metaName) {
    return new KeyConstraintException("Key " + inTableDescribe + " (row " + value + " of " + sourceDescribe
        + ") is already in feature table " + metaName + "; nothing was written. Leave such rows out, or write them"
        + " with WriteMode.MERGE.");
  }

  /** Interrupted while reading and checking {source} for feature table {table}. */
  public static dev.mlops.core.MlopsException interruptedImport(Object source, Object table, InterruptedException e) {
    return new dev.mlops.core.MlopsException("Interrupted while reading " + source + " into feature table " + table
        + "; nothing was committed. Run the import again.", e);
  }

  /** Reading {source} failed with a checked exception (sources throw unchecked ones; kept as the cause). */
  public static dev.mlops.core.MlopsException importBatchFailed(Object source, Object table, Throwable cause) {
    return new dev.mlops.core.MlopsException("Reading " + source + " into feature table " + table + " failed: " + cause
        + "; nothing was committed. Fix the cause and run the import again.", cause);
  }

  /** Scoring needs the lookup key column '{k}' (the model's feature spec looks up {specTables} by {specKeyColumns}). */
  public static FeatureStoreException scoringNeedsLookupKey(Object k, Object specTables, Object specKeyColumns,
      Object schemaNames) {
    return new FeatureStoreException("Scoring needs the lookup key column '" + k + "' (the model's feature spec looks"
        + " up " + specTables + " by " + specKeyColumns + "); the frame has " + schemaNames + ". Add the key column.");
  }

  /** Output column '{out}' of the lookup into {lTableName} collides with {value}. */
  public static FeatureStoreException outputColumnCollides(Object out, Object table, boolean withSpineColumn) {
    return new FeatureStoreException("Output column '" + out + "' of the lookup into " + table + " collides with "
        + (withSpineColumn ? "a spine column" : "another lookup's output") + ". Rename it with .rename(\"feature\","
        + " \"new_name\").");
  }

  /** On-demand feature '{fName}' reads column '{in}', which is neither a spine column nor a looked-up feature. */
  public static FeatureStoreException onDemandFeatureReadsColumn(Object fName, Object in, Object names) {
    return new FeatureStoreException("On-demand feature '" + fName + "' reads column '" + in + "', which is neither a"
        + " spine column nor a looked-up feature. Available: " + names + ".");
  }

  /** On-demand feature '{fName}' collides with an existing column. */
  public static FeatureStoreException onDemandFeatureCollidesExisting(Object fName) {
    return new FeatureStoreException("On-demand feature '" + fName + "' collides with an existing column. Give it"
        + " another name.");
  }

  /** the spine (named as the label). */
  public static ColumnNotFoundException labelNotInSpine(String label, List<String> schemaNames) {
    return new ColumnNotFoundException(label, schemaNames, "the spine (named as the label)");
  }

  /** the spine (named in exclude). */
  public static ColumnNotFoundException excludedNotInSpine(String e, List<String> schemaNames) {
    return new ColumnNotFoundException(e, schemaNames, "the spine (named in exclude)");
  }

  /** The label '{label}' is also excluded. */
  public static FeatureStoreException labelExcluded(Object label) {
    return new FeatureStoreException("The label '" + label + "' is also excluded; keep it or pick another label.");
  }

  /** The lookup into {metaName} gives {lookupKeysSize} key column(s) {lLookupKeys} but the table's primary key ... */
  public static FeatureStoreException lookupKeyCountMismatch(Object metaName, Object lookupKeysSize, Object lLookupKeys,
      Object primaryKeysSize, Object metaPrimaryKeys) {
    return new FeatureStoreException("The lookup into " + metaName + " gives " + lookupKeysSize + " key column(s) "
        + lLookupKeys + " but the table's primary key has " + primaryKeysSize + " " + metaPrimaryKeys + ". Give one"
        + " spine column per primary key column, in that order.");
  }

  /** Lookup key '{sk}' for {metaName} is not a spine column. */
  public static FeatureStoreException lookupKeySpineColumn(Object sk, Object metaName, Object schemaNames) {
    return new FeatureStoreException("Lookup key '" + sk + "' for " + metaName + " is not a spine column. Spine"
        + " columns: " + schemaNames + ".");
  }

  /** Lookup key '{sk}' is {columnType} but primary key '{pk}' of {metaName} is {tsType}. */
  public static FeatureStoreException lookupKeyPrimaryKey(Object sk, Object columnType, Object pk, Object metaName,
      Object tsType) {
    return new FeatureStoreException("Lookup key '" + sk + "' is " + columnType + " but primary key '" + pk + "' of "
        + metaName + " is " + tsType + ". Convert the spine column to " + tsType + ".");
  }

  /** Table {metaName} has no timestamp key, so timestampLookupKey("{tsLookup}") does not apply. */
  public static FeatureStoreException tableTimestampKeyTimestampLookupKey(Object metaName, Object tsLookup) {
    return new FeatureStoreException("Table " + metaName + " has no timestamp key, so timestampLookupKey(\"" + tsLookup
        + "\") does not apply. Remove it (every key has one row).");
  }

  /** Table {metaName} is a time-series table (timestamp key '{tsKey}'). */
  public static FeatureStoreException tableTimeSeriesTableTimestamp(Object metaName, Object tsKey) {
    return new FeatureStoreException("Table " + metaName + " is a time-series table (timestamp key '" + tsKey
        + "'): give .timestampLookupKey(spineColumn) so each spine row gets the values as of its own time.");
  }

  /** Timestamp lookup key '{tsLookup}' is not a spine column. */
  public static FeatureStoreException timestampLookupKeySpine(Object tsLookup, Object schemaNames) {
    return new FeatureStoreException("Timestamp lookup key '" + tsLookup + "' is not a spine column. Spine columns: "
        + schemaNames + ".");
  }

  /** Timestamp lookup key '{tsLookup}' is {cType} but timestamp key '{tsKey}' of {metaName} is {tsType}. */
  public static FeatureStoreException timestampLookupKeyTimestamp(Object tsLookup, Object cType, Object tsKey,
      Object metaName, Object tsType) {
    return new FeatureStoreException("Timestamp lookup key '" + tsLookup + "' is " + cType + " but timestamp key '"
        + tsKey + "' of " + metaName + " is " + tsType + ". Convert the spine column.");
  }

  /** Feature '{f}' does not exist in {metaName}. */
  public static FeatureStoreException featureNotInTable(Object f, Object metaName, Object metaFeatureNames) {
    return new FeatureStoreException("Feature '" + f + "' does not exist in " + metaName + ". Its features: "
        + metaFeatureNames + ".");
  }

  /** rename("{r}", ..) names a feature not taken from {metaName} (taken: {features}). */
  public static FeatureStoreException renameNamesFeatureTaken(Object r, Object metaName, Object features) {
    return new FeatureStoreException("rename(\"" + r + "\", ..) names a feature not taken from " + metaName + " (taken:"
        + " " + features + ").");
  }

  /** defaultValue("{dGetKey}", ..) names a feature not taken from {metaName} (taken: {features}). */
  public static FeatureStoreException defaultValueNamesFeatureTaken(Object key, Object metaName, Object features) {
    return new FeatureStoreException("defaultValue(\"" + key + "\", ..) names a feature not taken from " + metaName
        + " (taken: " + features + ").");
  }

  /** A lookback window applies to time-series tables only. */
  public static FeatureStoreException lookbackWindowAppliesTimeSeries(Object metaName) {
    return new FeatureStoreException("A lookback window applies to time-series tables only; " + metaName
        + " has no timestamp key. Remove .lookback(..).");
  }

  /** includeTimestamp("{lTimestampOutput}") applies to time-series tables only. */
  public static FeatureStoreException includeTimestampAppliesTimeSeriesTables(Object lTimestampOutput,
      Object metaName) {
    return new FeatureStoreException("includeTimestamp(\"" + lTimestampOutput + "\") applies to time-series tables"
        + " only; " + metaName + " has no timestamp key. Remove it.");
  }

  /** Feature table {name} needs a primary key. */
  public static FeatureStoreException noPrimaryKey(Object name) {
    return new FeatureStoreException("Feature table " + name + " needs a primary key: call .primaryKeys(\"col\").");
  }

  /** Timestamp key '{timestampKey}' of {name} is not a column. */
  public static FeatureStoreException timestampKeyNotAColumn(Object timestampKey, Object name, Object schemaNames) {
    return new FeatureStoreException("Timestamp key '" + timestampKey + "' of " + name + " is not a column: "
        + schemaNames + ".");
  }

  /** Timestamp key '{timestampKey}' of {name} is {tt}. */
  public static FeatureStoreException badTimestampKeyType(Object timestampKey, Object name, Object tt) {
    return new FeatureStoreException("Timestamp key '" + timestampKey + "' of " + name + " is " + tt + "; it must be"
        + " TIMESTAMP or DATE.");
  }

  /** Primary key '{k}' of {name} is not a column. */
  public static FeatureStoreException primaryKeyNotAColumn(Object k, Object name, Object schemaNames) {
    return new FeatureStoreException("Primary key '" + k + "' of " + name + " is not a column: " + schemaNames
        + ". Add it to the schema or name an existing column.");
  }

  /** Primary key '{k}' of {name} is {schemaColumnType}, which cannot be a key (its values do not compare exactly). */
  public static FeatureStoreException primaryKeyCannotBeKey(Object k, Object name, Object schemaColumnType,
      Object keyKinds) {
    return new FeatureStoreException("Primary key '" + k + "' of " + name + " is " + schemaColumnType + ", which cannot"
        + " be a key (its values do not compare exactly). Use a " + keyKinds + " column.");
  }

  /** featureDescription names column '{c}', which {name} does not have. */
  public static FeatureStoreException describedColumnMissing(Object c, Object name, Object schemaNames) {
    return new FeatureStoreException("featureDescription names column '" + c + "', which " + name + " does not have: "
        + schemaNames + ".");
  }

  // ------------------------------------------------------------ FeatureLookup

  /** Lookback window {window} for table {table} is negative. */
  public static FeatureStoreException negativeLookback(Object window, Object table) {
    return new FeatureStoreException("Lookback window " + window + " for table " + table + " is negative; give a"
        + " window of zero or more (e.g. Duration.ofDays(30)).");
  }

  /** includeTimestamp needs an output column name for the lookup into {table}, e.g. */
  public static FeatureStoreException includeTimestampNeedsOutputColumn(Object table) {
    return new FeatureStoreException("includeTimestamp needs an output column name for the lookup into " + table
        + ", e.g. includeTimestamp(\"spend_asof\").");
  }

  // ------------------------------------------------------------ OnDemandRegistry

  /** The on-demand feature is null. */
  public static IllegalArgumentException nullOnDemandFeature() {
    return new IllegalArgumentException("The on-demand feature is null: create one with OnDemandFeature.of(..).");
  }

  /** On-demand feature '{featureName}' is already registered here with another function ({beforeType} of ... */
  public static FeatureStoreException onDemandFeatureAlreadyRegistered(Object featureName, Object beforeType,
      Object beforeInputs) {
    return new FeatureStoreException("On-demand feature '" + featureName + "' is already registered here with another"
        + " function (" + beforeType + " of " + beforeInputs + "); a second registration would silently change what"
        + " models trained on the first compute. Give the new function another name, or call replace(feature) to"
        + " change it on purpose.");
  }

  // ------------------------------------------------------------ Joiner

  /** On-demand feature '{fnName}' failed at row {r} with inputs {values}. */
  public static FeatureStoreException onDemandFeatureFailedRow(Object fnName, Object r, Object values, Object e) {
    return new FeatureStoreException("On-demand feature '" + fnName + "' failed at row " + r + " with inputs " + values
        + ": " + e + ". Handle such inputs (e.g. nulls) in the function.");
  }

  /** On-demand feature '{fnName}' returned a value that is not {fnType}. */
  public static FeatureStoreException onDemandFeatureReturnedValue(Object fnName, Object fnType, Object detail) {
    return new FeatureStoreException("On-demand feature '" + fnName + "' returned a value that is not " + fnType + ": "
        + detail);
  }

  // ------------------------------------------------------------ SpecJson

  /** Default value for feature '{feature}' of {table} is null. */
  public static FeatureStoreException defaultValueFeatureNull(Object feature, Object table, Object type) {
    return new FeatureStoreException("Default value for feature '" + feature + "' of " + table + " is null; a default"
        + " replaces null, so give a value of type " + type + " or leave the default out.");
  }

  /** Default value {quote} ({classGetSimpleName}) for feature '{feature}' of {table} does not fit its type {type}. */
  public static FeatureStoreException defaultValueFeatureFit(Object quote, Object valueClass, Object feature,
      Object table, Object type, Object javaTypeFor) {
    return new FeatureStoreException("Default value " + quote + " (" + valueClass + ") for feature '" + feature
        + "' of " + table + " does not fit its type " + type + ". Pass " + javaTypeFor + ".");
  }

  /** Default {n} for feature '{feature}' of {table} in the feature spec JSON is not a {type} value ({eDetail}). */
  public static FeatureStoreException defaultFeatureFeatureSpec(Object n, Object feature, Object table, Object type,
      Object detail) {
    return new FeatureStoreException("Default " + n + " for feature '" + feature + "' of " + table + " in the feature"
        + " spec JSON is not a " + type + " value (" + detail + "). Save the spec with FeatureSpec.toJson() rather"
        + " than editing it by hand.");
  }

  /** expected text, found {nGetNodeType}. */
  public static IllegalArgumentException notText(Object nodeType) {
    return new IllegalArgumentException("expected text, found " + nodeType);
  }

  /** out of the long range. */
  public static IllegalArgumentException outOfLongRange() {
    return new IllegalArgumentException("out of the long range");
  }

  /** not an integer. */
  public static IllegalArgumentException notAnInteger() {
    return new IllegalArgumentException("not an integer");
  }

  /** expected true or false. */
  public static IllegalArgumentException notABoolean() {
    return new IllegalArgumentException("expected true or false");
  }

  /** A feature spec must be a JSON object. */
  public static FeatureStoreException featureSpecJsonObject(Object nodeType) {
    return new FeatureStoreException("A feature spec must be a JSON object; found " + (nodeType == null ? "nothing"
        : nodeType) + ". Save specs with"
        + " FeatureSpec.toJson().");
  }

  /** This feature spec has formatVersion {fv}, but this SDK release reads format versions up to {formatVersion}. */
  public static FeatureStoreException featureSpecFormatVersionSdk(Object fv, Object formatVersion) {
    return new FeatureStoreException("This feature spec has formatVersion " + fv + ", but this SDK release reads format"
        + " versions up to " + formatVersion + ". Upgrade the SDK to load it (it was written by a newer release).");
  }

  /** The feature spec gives a default for '{eGetKey}' of {table} but no type for it in featureTypes {typesKeySet}. */
  public static FeatureStoreException featureSpecGivesDefault(Object key, Object table, Object typesKeySet) {
    return new FeatureStoreException("The feature spec gives a default for '" + key + "' of " + table
        + " but no type for it in featureTypes " + typesKeySet + ".");
  }

  /** Lookback '{s}' of the lookup into {table} is not an ISO-8601 duration (e.g. PT720H). */
  public static FeatureStoreException lookbackLookupIsoDuration(Object s, Object table) {
    return new FeatureStoreException("Lookback '" + s + "' of the lookup into " + table + " is not an ISO-8601"
        + " duration (e.g. PT720H).");
  }

  /** This feature spec was saved before format version 1. */
  public static FeatureStoreException featureSpecSavedBefore(Object table, Object v) {
    return new FeatureStoreException("This feature spec was saved before format version 1: its lookup into " + table
        + " has lookbackMicros=" + v + ", which meant days for a DATE timestamp key but microseconds for a TIMESTAMP"
        + " key, and the spec does not say which. Rebuild the training set with this release"
        + " (fs.trainingSet(spine).lookup(..).build()) and save or register its spec again.");
  }

  /** Type '{name}' of '{column}' ({where}) in the feature spec is not a type this SDK release knows. */
  public static FeatureStoreException typeFeatureSpecType(Object name, Object column, Object where) {
    return new FeatureStoreException("Type '" + name + "' of '" + column + "' (" + where + ") in the feature spec is"
        + " not a type this SDK release knows. Upgrade the SDK to load the spec.");
  }

  /** The feature spec JSON lacks '{field}' in {j}. */
  public static FeatureStoreException featureSpecJsonLacks(Object field, Object j) {
    return new FeatureStoreException("The feature spec JSON lacks '" + field + "' in " + j + ". Save specs with"
        + " FeatureSpec.toJson().");
  }

  // ------------------------------------------------------------ InMemoryOnlineStore

  /** Table {table} was never published to this online store. */
  public static FeatureStoreException tableNeverPublishedOnline(Object table) {
    return new FeatureStoreException("Table " + table + " was never published to this online store: call fs.publish(\""
        + table + "\", store) first.");
  }

  /** Online lookup in {table} needs key column '{k}'. */
  public static FeatureStoreException onlineLookupNeedsKey(Object table, Object k, Object schemaNames, Object sKeys) {
    return new FeatureStoreException("Online lookup in " + table + " needs key column '" + k + "'; the keys given have "
        + schemaNames + ". Name the key columns like the table's primary keys " + sKeys + ".");
  }

  /** Key column '{k}' is {columnType} but {table} stores it as {columnType}. */
  public static FeatureStoreException keyColumnStoresConvert(Object k, Object columnType, Object table,
      Object columnType2) {
    return new FeatureStoreException("Key column '" + k + "' is " + columnType + " but " + table + " stores it as "
        + columnType2 + ". Convert the keys.");
  }

  /** Table {table} has primary key {sKeys} ({keysSize} column(s)) but {keyLength} value(s) were given. */
  public static FeatureStoreException tablePrimaryKeyColumn(Object table, Object sKeys, Object keysSize,
      Object keyLength) {
    return new FeatureStoreException("Table " + table + " has primary key " + sKeys + " (" + keysSize + " column(s))"
        + " but " + keyLength + " value(s) were given: pass one value per key column.");
  }

  // ------------------------------------------------------------ FeatureStore

  /** Table {name} has no primary key, so it is not a feature table. */
  public static FeatureStoreException tablePrimaryKeyFeature(Object name, Object primaryKeys) {
    return new FeatureStoreException("Table " + name + " has no primary key, so it is not a feature table. Create"
        + " feature tables with fs.createTable(..).primaryKeys(..), or set the table property " + primaryKeys
        + " to its key columns.");
  }

  // ------------------------------------------------------------ Joiner

  /** On-demand feature '{fnName}' ({fnType} of {fnInputs}) is not registered in this feature store's registry ... */
  public static FeatureStoreException onDemandFeatureRegisteredFeature(Object fnName, Object fnType, Object fnInputs,
      Object registryNames) {
    return new FeatureStoreException("On-demand feature '" + fnName + "' (" + fnType + " of " + fnInputs + ") is not"
        + " registered in this feature store's registry " + registryNames + ". Register the same function at start-up,"
        + " exactly as when the model was trained: fs.onDemandRegistry().register(OnDemandFeature.of(\"" + fnName
        + "\", ...)).");
  }

  // ------------------------------------------------------------ MutableFeatureRow

  /** A column the last read of a {@code MutableFeatureRow} did not have. */
  public static ColumnNotFoundException columnNotInRow(String column, List<String> rowColumns) {
    return new ColumnNotFoundException(column, rowColumns, "this row (the columns of its reader)");
  }

  /** A packed value of a type that is not fixed-width (an SDK bug). */
  public static IllegalStateException unexpectedPackedType(DataType type) {
    return new IllegalStateException("unexpected type " + type);
  }

  /** A row read before it was ever filled. */
  public static FeatureStoreException rowNeverFilled() {
    return new FeatureStoreException("This row was never filled: pass it to FeatureReader.read first.");
  }

  /** A row whose last read found no row for its key. */
  public static FeatureStoreException rowNotFoundForKey() {
    return new FeatureStoreException("The last read found no row for its key: check the boolean read returned (or"
        + " found()) before reading values.");
  }

  // ------------------------------------------------------------ RowAccess

  /** RowAccess.install called by a class other than MutableFeatureRow. */
  public static IllegalStateException rowAccessInstallNotFromRow(Class<?> caller) {
    return new IllegalStateException("RowAccess.install is for MutableFeatureRow only, not " + caller.getName() + ".");
  }

  /** RowAccess.install called a second time. */
  public static IllegalStateException rowAccessAlreadyInstalled() {
    return new IllegalStateException("RowAccess is installed already.");
  }

  // ------------------------------------------------------------ PackedRows

  /** A packed column array that is not of a fixed-width primitive type (an SDK bug). */
  public static IllegalStateException notFixedWidthColumnArray(Class<?> arrayClass) {
    return new IllegalStateException("not a fixed-width column array: " + arrayClass);
  }

  /** A column an online table does not have. */
  public static ColumnNotFoundException columnNotInOnlineTable(String column, List<String> tableColumns,
      String table) {
    return new ColumnNotFoundException(column, tableColumns, "online table " + table);
  }

  // ------------------------------------------------------------ InMemoryOnlineStore

  /** read(long, row) on a table whose primary key is not one integral column. */
  public static FeatureStoreException notOneIntegralKey(String table, List<String> keys) {
    return new FeatureStoreException("Table " + table + " has primary key " + keys + ", not one integral"
        + " column: read(long, row) does not apply. Use read(row, keyValues...) with one value per key column.");
  }
}
