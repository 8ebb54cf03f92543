package dev.mlops.core.internal;

import dev.mlops.core.ColumnNotFoundException;
import dev.mlops.core.ConcurrentWriteException;
import dev.mlops.core.CorruptTableException;
import dev.mlops.core.FileSchemaMismatchException;
import dev.mlops.core.InvalidNameException;
import dev.mlops.core.KeyConstraintException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.StorageAccessException;
import dev.mlops.core.StorageException;
import dev.mlops.core.TableAlreadyExistsException;
import dev.mlops.core.TableNotFoundException;
import dev.mlops.core.UnsafeConcurrentWriteException;
import dev.mlops.core.UnsupportedTableFeatureException;
import dev.mlops.core.VersionNotFoundException;
import dev.mlops.core.Workspace;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Every user-facing message of the core module and its argument checks, built in one place (after
 * Delta Kernel's {@code DeltaErrors}): each method says what went wrong, why, and how to fix it,
 * naming the table, column, file or value. Callers {@code throw Errors.x(..)};
 * {@code MessagesInOnePlaceTest} keeps messages from being written at call sites again. Internal:
 * other modules may call it; users should not.
 */
public final class Errors {
  private Errors() {}

  // Control characters are refused everywhere. Delta reserves " ,;{}()\n\t=" only in tables without
  // column mapping (where the name is the Parquet column name); every table the SDK creates has column
  // mapping, and Spark tables with mapping use such names, so they are checked only where a table has none.
  private static final Pattern RESERVED_WITHOUT_MAPPING = Pattern.compile("[ ,;{}()=]");

  /** Column names: non-empty, at most 255 chars, no control characters. */
  public static void checkColumnName(String name) {
    if (name == null || name.isEmpty()) {
      throw new InvalidNameException("A column name is empty or null: give every column a name.");
    }
    if (name.length() > 255) {
      throw new InvalidNameException("Column name '" + name.substring(0, 40) + "...' has "
          + name.length() + " characters; the limit is 255. Use a shorter name.");
    }
    if (hasControlChar(name)) {
      throw new InvalidNameException("Column name '" + printable(name) + "' contains a control character."
          + " Use printable characters.");
    }
  }

  /**
   * Column names of a table without Delta column mapping, which Delta keeps as Parquet column names:
   * no space and none of {@code ,;{}()=} either.
   */
  public static void checkColumnNameWithoutMapping(String name, String table) {
    checkColumnName(name);
    if (RESERVED_WITHOUT_MAPPING.matcher(name).find()) {
      throw new InvalidNameException("Column name '" + name + "' of table " + table + " contains a space or one of"
          + " ,;{}()=, which Delta allows only in tables with column mapping, and this table has none ("
          + "delta.columnMapping.mode=none). Rename the column, or keep column mapping on (the SDK's default).");
    }
  }

  // A loop, not a regex: every Field and Column checks its name, and small frames are built by the
  // thousand on the serving and monitoring paths (a Matcher per name was the top CPU item there).
  private static boolean hasControlChar(String name) {
    for (int i = 0; i < name.length(); i++) {
      char c = name.charAt(i);
      if (c < 0x20 || c == 0x7f) { // what \p{Cntrl} matched
        return true;
      }
    }
    return false;
  }

  private static String printable(String s) {
    StringBuilder sb = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c)) {
        sb.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
      } else {
        sb.append(c);
      }
    }
    return sb.toString();
  }

  /** Requires a non-null argument, naming it. */
  public static <T> T notNull(T value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must not be null.");
    }
    return value;
  }

  // ------------------------------------------------------------ ColumnType

  /** {kind} needs parameters. */
  public static IllegalArgumentException needsParameters(Object kind, Object factoryFor) {
    return new IllegalArgumentException(kind + " needs parameters: use " + factoryFor + ".");
  }

  /** {k} keys but {v} value columns. */
  public static IllegalArgumentException keysValueColumns(int k, int v) {
    return new IllegalArgumentException(k + " keys but " + v + " value columns: a map's rows need one value column"
        + " per key.");
  }

  /** A pace's share of a CPU out of range. */
  public static IllegalArgumentException paceShare(double share) {
    return new IllegalArgumentException("Pacing share must be above 0 and at most 1 (a share of one CPU), not " + share
        + ".");
  }

  /** DECIMAL({precision},{scale}) is not a Delta type. */
  public static IllegalArgumentException decimalDeltaTypePrecision(Object precision, Object scale) {
    return new IllegalArgumentException("DECIMAL(" + precision + "," + scale + ") is not a Delta type: precision must"
        + " be 1 to 38 and scale 0 to precision.");
  }

  /** A STRUCT needs at least one field. */
  public static IllegalArgumentException structNeedsLeastField() {
    return new IllegalArgumentException("A STRUCT needs at least one field.");
  }

  /** Field '{fName}' appears twice in a STRUCT. */
  public static IllegalArgumentException fieldAppearsTwiceStruct(Object fName) {
    return new IllegalArgumentException("Field '" + fName + "' appears twice in a STRUCT: give each field a unique"
        + " name.");
  }

  // ------------------------------------------------------------ TableName

  /** A table name is null: pass 'catalog.schema.name', e.g. */
  public static InvalidNameException tableNameNullCatalog() {
    return new InvalidNameException("A table name is null: pass 'catalog.schema.name', e.g. 'main.crm.customers'.");
  }

  /** '{text}' is not a three-level name. */
  public static InvalidNameException threeLevelNamePartS(Object text, Object partsLength) {
    return new InvalidNameException("'" + text + "' is not a three-level name: it has " + partsLength + " part(s)"
        + " separated by '.', but a name is 'catalog.schema.name', e.g. 'main.crm.customers'.");
  }

  /** The {level} part of '{shown}' is empty. */
  public static InvalidNameException partEmptyPartCatalog(Object level, Object shown) {
    return new InvalidNameException("The " + level + " part of '" + shown + "' is empty: each part of"
        + " 'catalog.schema.name' needs 1 to 255 letters, digits or underscores.");
  }

  /** The {level} part '{partSubstring}...' of a name has {partLength} characters. */
  public static InvalidNameException partNameCharactersLimit(Object level, Object partSubstring, Object partLength,
      Object maxPart) {
    return new InvalidNameException("The " + level + " part '" + partSubstring + "...' of a name has " + partLength
        + " characters; the limit is " + maxPart + ". Use a shorter name.");
  }

  /** The {level} part '{part}' of '{shown}' is not allowed. */
  public static InvalidNameException partAllowedAsciiLetters(Object level, Object part, Object shown) {
    return new InvalidNameException("The " + level + " part '" + part + "' of '" + shown + "' is not allowed: use only"
        + " ASCII letters, digits and underscores, so the name stays inside the workspace (no '.', '/', '..' or"
        + " spaces). For example 'customer_features'.");
  }

  // ------------------------------------------------------------ WriteOptions

  /** Commit tag key '{eGetKey}' is not allowed. */
  public static IllegalArgumentException commitTagKeyAllowed(Object key) {
    return new IllegalArgumentException("Commit tag key '" + key + "' is not allowed: use 1 to 100 letters,"
        + " digits, '.', '_' or '-'.");
  }

  /** Commit tag '{eGetKey}' has a null value. */
  public static IllegalArgumentException commitTagNullValue(Object key) {
    return new IllegalArgumentException("Commit tag '" + key + "' has a null value: give a string (\"\" allowed).");
  }

  // ------------------------------------------------------------ Tables

  /** Dropping tables is only supported on local workspaces. */
  public static MlopsException droppingTablesSupportedLocal(Object storeLocation) {
    return new MlopsException("Dropping tables is only supported on local workspaces; delete " + storeLocation
        + " with your object store's tools.");
  }

  /** Listing catalogs, schemas and tables needs a local workspace. */
  public static MlopsException listingCatalogsSchemasTables(Object wsRoot) {
    return new MlopsException("Listing catalogs, schemas and tables needs a local workspace; this one is at " + wsRoot
        + ". Open tables by name with get(...).");
  }

  /** Table {name} needs a schema. */
  public static IllegalArgumentException tableNeedsSchemaSchema(Object name) {
    return new IllegalArgumentException("Table " + name + " needs a schema: call schema(...) or create(frame).");
  }

  // ------------------------------------------------------------ ParquetSource

  /** batchRows must be positive, was {rows}. */
  public static IllegalArgumentException batchRowsPositive(Object rows) {
    return new IllegalArgumentException("batchRows must be positive, was " + rows);
  }

  // ------------------------------------------------------------ DeltaTable

  /** WriteOptions.basedOn(...) holds a snapshot of {tableDisplayName}, not of {displayName}. */
  public static IllegalArgumentException writeOptionsBasedOnHoldsSnapshot(Object tableDisplayName, Object displayName) {
    return new IllegalArgumentException("WriteOptions.basedOn(...) holds a snapshot of " + tableDisplayName + ", not of"
        + " " + displayName + ". Take the snapshot from the table you write.");
  }

  /** The {what} argument for table {displayName} is null. */
  public static IllegalArgumentException argumentTableNullValue(Object what, Object displayName) {
    return new IllegalArgumentException("The " + what + " argument for table " + displayName + " is null: pass a value"
        + " (an empty Frame writes nothing).");
  }

  // ------------------------------------------------------------ Column

  /** Column '{name}' has {n} values but a null mask of {nullsLength}. */
  public static IllegalArgumentException columnValuesNullMask(Object name, Object n, Object nullsLength) {
    return new IllegalArgumentException("Column '" + name + "' has " + n + " values but a null mask of " + nullsLength
        + ": give one flag per value.");
  }

  // ------------------------------------------------------------ CsvSource

  /** Cannot read CSV file {p}. */
  public static StorageException readCsvFile(Object p, boolean exists) {
    return new StorageException("Cannot read CSV file " + p + ": " + (exists ? "it is not a file." : "it does not"
        + " exist."), null);
  }

  /** Delimiter {name} cannot also be the quote or a line break. */
  public static IllegalArgumentException delimiterQuoteLineBreak(Object name) {
    return new IllegalArgumentException("Delimiter " + name + " cannot also be the quote or a line break.");
  }

  /** sampleRows must be positive, was {rows}. */
  public static IllegalArgumentException sampleRowsPositive(Object rows) {
    return new IllegalArgumentException("sampleRows must be positive, was " + rows);
  }

  // ------------------------------------------------------------ Filter

  /** Filter on '{column}' compares with null, which is never true in SQL. */
  public static IllegalArgumentException filterComparesNullNever(Object column) {
    return new IllegalArgumentException("Filter on '" + column + "' compares with null, which is never true in SQL. Use"
        + " Filter.isNull(\"" + column + "\") instead.");
  }

  /** Unknown operator '{symbol}'. */
  public static IllegalArgumentException unknownOperator(Object symbol) {
    return new IllegalArgumentException("Unknown operator '" + symbol + "': use =, !=, <, <=, >, >=.");
  }

  // ------------------------------------------------------------ Frame

  /** Column '{cName}' has {cSize} values but column '{colsName}' has {n}. */
  public static IllegalArgumentException columnValuesColumnAll(Object cName, Object cSize, Object colsName, Object n) {
    return new IllegalArgumentException("Column '" + cName + "' has " + cSize + " values but column '" + colsName
        + "' has " + n + ": all columns of a frame must have the same length.");
  }

  /** fromRecords needs at least one record to know the type. */
  public static IllegalArgumentException fromRecordsNeedsLeastRecord() {
    return new IllegalArgumentException("fromRecords needs at least one record to know the type; call"
        + " fromRecords(Type.class, list).");
  }

  /** The accessor of component '{value}' of {typeGetName} threw {eGetCause}. */
  public static MlopsException frameRecordAccessorThrew(Object value, Object name, Throwable cause) {
    return new MlopsException("The accessor of component '" + value + "' of " + name + " threw " + cause
        + ".", cause);
  }

  /** Cannot read component '{value}' of {typeGetName}. */
  public static MlopsException frameRecordNotAccessible(Object value, Object name, Throwable e) {
    return new MlopsException("Cannot read component '" + value + "' of " + name + ": make the record public"
        + " (or its package open).", e);
  }

  /** {where} is a {gGetTypeName}, which has no column type. */
  public static SchemaMismatchException columnTypeLongInt(Object where, Object typeName) {
    return new SchemaMismatchException(where + " is a " + typeName + ", which has no column type. Use long, int,"
        + " short, byte, double, float, BigDecimal, boolean, String, byte[], Instant, LocalDateTime, LocalDate, a"
        + " record, List<T> or Map<K, V> of those.");
  }

  /** {where} holds only empty lists or nulls, so its element type is unknown. */
  public static SchemaMismatchException holdsEmptyListsNulls(Object where) {
    return new SchemaMismatchException(where + " holds only empty lists or nulls, so its element type is unknown. Use"
        + " fromMaps(schema, rows) to give the type.");
  }

  /** {where} holds a map whose type cannot be inferred (a key that is not a String, or a null value). */
  public static SchemaMismatchException holdsMapWhoseType(Object where) {
    return new SchemaMismatchException(where + " holds a map whose type cannot be inferred (a key that is not a"
        + " String, or a null value). Use fromMaps(schema, rows) to give the type.");
  }

  /** Column '{n}' is null in every row, so its type is unknown. */
  public static SchemaMismatchException columnNullRowType(Object n) {
    return new SchemaMismatchException("Column '" + n + "' is null in every row, so its type is unknown. Use"
        + " fromMaps(schema, rows) to give the type.");
  }

  /** the frame. */
  public static ColumnNotFoundException columnNotInFrame(String name, List<String> schemaNames) {
    return new ColumnNotFoundException(name, schemaNames, "the frame");
  }

  /** Column '{columnName}' has {columnSize} values but the frame has {rowCount} rows. */
  public static IllegalArgumentException columnValuesFrameRows(Object columnName, Object columnSize, Object rowCount) {
    return new IllegalArgumentException("Column '" + columnName + "' has " + columnSize + " values but the frame has "
        + rowCount + " rows.");
  }

  /** concat needs at least one frame. */
  public static IllegalArgumentException concatNeedsLeastFrame() {
    return new IllegalArgumentException("concat needs at least one frame.");
  }

  /** Frame {k} has columns {framesSchema} but frame 0 has {firstSchema}. */
  public static SchemaMismatchException frameColumnsFrameConcat(Object k, Object framesSchema, Object firstSchema) {
    return new SchemaMismatchException("Frame " + k + " has columns " + framesSchema + " but frame 0 has " + firstSchema
        + ": concat needs identical names and types.");
  }

  /** Row {rows} has {valuesLength} values but the schema has {schemaSize} columns {schemaNames}. */
  public static SchemaMismatchException rowValuesSchemaColumns(Object rows, Object valuesLength, Object schemaSize,
      Object schemaNames) {
    return new SchemaMismatchException("Row " + rows + " has " + valuesLength + " values but the schema has "
        + schemaSize + " columns " + schemaNames + ".");
  }

  /** the schema of this frame. */
  public static ColumnNotFoundException columnNotInFrameSchema(String k, List<String> schemaNames) {
    return new ColumnNotFoundException(k, schemaNames, "the schema of this frame");
  }

  /** This builder already built its frame, which shares its storage. */
  public static IllegalStateException builderAlreadyBuiltFrame() {
    return new IllegalStateException("This builder already built its frame, which shares its storage; start a new"
        + " Frame.builder(schema) for more rows.");
  }

  // ------------------------------------------------------------ FileTrees

  /** Cannot delete {dir}: {eDetail}. */
  public static StorageException cannotDelete(Object dir, Object detail, Throwable e) {
    return new StorageException("Cannot delete " + dir + ": " + detail, e);
  }

  // ------------------------------------------------------------ Json

  /** Cannot write {classGetSimpleName} as JSON. */
  public static MlopsException writeJson(Object valueClass, Object detail, Throwable e) {
    return new MlopsException("Cannot write " + valueClass + " as JSON: " + detail, e);
  }

  /** Cannot read {typeGetSimpleName} from JSON. */
  public static MlopsException readJson(Object simpleName, Object originalMessage, Throwable e) {
    return new MlopsException("Cannot read " + simpleName + " from JSON: " + originalMessage, e);
  }

  /** Malformed JSON: {eGetOriginalMessage}. */
  public static MlopsException malformedJson(Object originalMessage, Throwable e) {
    return new MlopsException("Malformed JSON: " + originalMessage, e);
  }

  /** Cannot read JSON file {path}. */
  public static StorageException readJsonFile(Object path, Object detail, Throwable e) {
    return new StorageException("Cannot read JSON file " + path + ": " + detail, e);
  }

  // ------------------------------------------------------------ TypeJson

  /** A field without type in the JSON. */
  public static IllegalArgumentException fieldWithoutTypeJson() {
    return new IllegalArgumentException("A field without type in the JSON.");
  }

  // ------------------------------------------------------------ AtomicFiles

  /** The filesystem of {target} cannot move files atomically. */
  public static StorageException filesystemMoveFilesAtomically(Object target, Throwable e) {
    return new StorageException("The filesystem of " + target + " cannot move files atomically; put the workspace on a"
        + " local disk or a filesystem that can.", e);
  }

  /** Cannot write {target}. */
  public static StorageException cannotWrite(Object target, Object detail, Throwable e) {
    return new StorageException("Cannot write " + target + ": " + detail, e);
  }

  /** Cannot create {target}. */
  public static StorageException cannotCreate(Object target, Object detail, Throwable e) {
    return new StorageException("Cannot create " + target + ": " + detail, e);
  }

  /** Cannot create directory {dir}. */
  public static StorageException createDirectory(Object dir, Throwable e) {
    return new StorageException("Cannot create directory " + dir, e);
  }

  // ------------------------------------------------------------ Csv

  /** CSV file {path} ends inside a quoted field opened on line {opened}. */
  public static MlopsException csvFileEndsInside(Object path, Object opened) {
    return new MlopsException("CSV file " + path + " ends inside a quoted field opened on line " + opened
        + ": close the quote (write a quote inside a quoted field as \"\").");
  }

  /** Cannot read CSV file {path}. */
  public static StorageException readCsvFileExist(Object path, Throwable e) {
    return new StorageException("Cannot read CSV file " + path + ": it does not exist.", e);
  }

  /** Cannot read CSV file {path}. */
  public static StorageException cannotReadCsv(Object path, Throwable e) {
    return new StorageException("Cannot read CSV file " + path + ": " + e, e);
  }

  /** CSV file {path} (named in type(...)). */
  public static ColumnNotFoundException csvFileNamedType(String t, List<String> header, Object path) {
    return new ColumnNotFoundException(t, header, "CSV file " + path + " (named in type(...))");
  }

  /** CSV file {path}. */
  public static ColumnNotFoundException columnNotInCsv(String w, List<String> header, Object path) {
    return new ColumnNotFoundException(w, header, "CSV file " + path);
  }

  /** Column '{column}' of CSV file {path} is to be read as DECIMAL, which needs a precision and scale. */
  public static SchemaMismatchException columnCsvFileRead(Object column, Object path) {
    return new SchemaMismatchException("Column '" + column + "' of CSV file " + path + " is to be read as DECIMAL,"
        + " which needs a precision and scale: pass the schema with ColumnType.decimal(p, s) for it"
        + " (CsvSource.schema(...)), or read it as DOUBLE or STRING.");
  }

  /** CSV file {path} line {firstLine} has {nc} fields but {namesSize} column names were given {names}. */
  public static SchemaMismatchException csvFileLineFields(Object path, Object firstLine, Object nc, Object namesSize,
      Object names) {
    return new SchemaMismatchException("CSV file " + path + " line " + firstLine + " has " + nc + " fields but "
        + namesSize + " column names were given " + names + ": give one name per field.");
  }

  /** CSV file {path} is empty. */
  public static MlopsException csvFileEmptyNeeds(Object path) {
    return new MlopsException("CSV file " + path + " is empty: it needs a header line naming the columns (or read it"
        + " with header(false)).");
  }

  /** CSV file {path} has no name for column {value} in its header (line {hLine}). */
  public static SchemaMismatchException csvFileNameColumn(Object path, Object value, Object hLine) {
    return new SchemaMismatchException("CSV file " + path + " has no name for column " + value + " in its header (line "
        + hLine + "): name every column.");
  }

  /** CSV file {path} names column '{name}' twice in its header (line {hLine}). */
  public static SchemaMismatchException csvFileNamesColumn(Object path, Object name, Object hLine) {
    return new SchemaMismatchException("CSV file " + path + " names column '" + name + "' twice in its header (line "
        + hLine + "): give every column its own name.");
  }

  /** CSV file {path} has columns {names} but the schema given has {schemaNames}. */
  public static SchemaMismatchException csvFileColumnsSchema(Object path, Object names, Object schemaNames) {
    return new SchemaMismatchException("CSV file " + path + " has columns " + names + " but the schema given has "
        + schemaNames + ": make them match (same names, same order).");
  }

  /** CSV file {path} line {scratchLine} has {scratchN} fields but the header has {headerSize}. */
  public static SchemaMismatchException csvFieldCount(Object path, Object line, Object fields, Object headerSize,
      char delimiter) {
    return new SchemaMismatchException("CSV file " + path + " line " + line + " has " + fields + " fields but"
        + " the header has " + headerSize + ": quote fields that contain " + (delimiter == ',' ? "commas"
        : "the delimiter '" + delimiter + "'") + ".");
  }

  /** Cannot read {quote} in column '{column}', row {dataRow} (line {line} of {file}), as {ct} ({expected}). */
  public static SchemaMismatchException csvValueNotOfType(Object quote, Object column, Object dataRow, Object line,
      Object file, Object ct, Object expected, int inferredFromRows) {
    return new SchemaMismatchException("Cannot read " + quote + " in column '" + column + "', row " + dataRow
        + " (line " + line + " of " + file + "), as " + ct + " (" + expected + "). Fix the value, or read the column as"
        + " STRING: CsvSource.type(\"" + column + "\", DataType.STRING)" + (inferredFromRows < 0 ? ""
        : " (the type was inferred from the first " + inferredFromRows + " rows; sampleRows(n) looks at more)") + ".");
  }

  /** out of range. */
  public static ArithmeticException outRange() {
    return new ArithmeticException("out of range");
  }

  /** beyond FLOAT's range. */
  public static ArithmeticException beyondFloatSRange() {
    return new ArithmeticException("beyond FLOAT's range");
  }

  /** too many digits. */
  public static ArithmeticException tooManyDigits() {
    return new ArithmeticException("too many digits");
  }

  /** Cannot close CSV file {path}. */
  public static StorageException closeCsvFile(Object path, Object detail, Throwable e) {
    return new StorageException("Cannot close CSV file " + path + ": " + detail, e);
  }

  /** Cannot write CSV file {path}. */
  public static StorageException writeCsvFile(Object path, Throwable e) {
    return new StorageException("Cannot write CSV file " + path + ": " + e, e);
  }

  // ------------------------------------------------------------ ColumnarParquet

  /** Data file {file} is compressed with Hadoop's LZ4 codec, which needs lz4-java (at.yawk.lz4:lz4-java) on the ... */
  public static UnsupportedTableFeatureException dataFileCompressedHadoop(Object file) {
    return new UnsupportedTableFeatureException("Data file " + file + " is compressed with Hadoop's LZ4 codec, which"
        + " needs lz4-java (at.yawk.lz4:lz4-java) on the class path, and this application excludes it. Add that"
        + " dependency back (mlops-core declares it); nothing was read.");
  }

  /** Data file {file} is compressed with the Parquet codec {codec} (column {pathToDotString}), which the SDK ... */
  public static UnsupportedTableFeatureException dataFileCompressedParquet(Object file, Object codec,
      Object pathToDotString) {
    return new UnsupportedTableFeatureException("Data file " + file + " is compressed with the Parquet codec " + codec
        + " (column " + pathToDotString + "), which the SDK cannot decompress: it reads UNCOMPRESSED, SNAPPY, GZIP,"
        + " ZSTD, LZ4 and LZ4_RAW. Rewrite the data with one of those (in Spark: SET"
        + " spark.sql.parquet.compression.codec=zstd, then rewrite the table, e.g. INSERT OVERWRITE); nothing was"
        + " read.");
  }

  /** Page holds more values than its row group in {sName}. */
  public static IOException pageHoldsMoreValues(Object sName) {
    return new IOException("Page holds more values than its row group in " + sName);
  }

  /** Dictionary-encoded page without a dictionary in column {sName}. */
  public static IOException dictionaryEncodedPageWithoutDictionary(Object sName) {
    return new IOException("Dictionary-encoded page without a dictionary in column " + sName);
  }

  /** Column {sName} holds {row} values but its row group has {n} rows. */
  public static IOException columnHoldsValuesRow(Object sName, Object row, Object n) {
    return new IOException("Column " + sName + " holds " + row + " values but its row group has " + n + " rows");
  }

  /** Column {name}'s pages end {missing} values before its row group's row count. */
  public static IOException columnPagesEndEarly(Object name, Object missing) {
    return new IOException("Column " + name + "'s pages end " + missing
        + " values before its row group's row count: the file is damaged or was cut short");
  }

  /** Column {name} has a data page of a kind ({kind}) the reader does not know. */
  public static IOException pageKindUnsupported(Object name, Object kind) {
    return new IOException("Column " + name + " has a data page of a kind (" + kind
        + ") the reader does not know (only v1 and v2 data pages exist)");
  }

  /** An INT96 timestamp has 12 bytes, this one {bLength}. */
  public static IllegalStateException int96TimestampBytes(Object bLength) {
    return new IllegalStateException("An INT96 timestamp has 12 bytes, this one " + bLength);
  }

  // ------------------------------------------------------------ WriteProtocol

  /** Cannot {op} table {table}. */
  public static UnsupportedTableFeatureException unknownWriterFeature(Object op, Object table, Object unknown) {
    return new UnsupportedTableFeatureException("Cannot " + op + " table " + table + ": it uses the Delta writer"
        + " feature(s) " + unknown + ", which the SDK does not implement. Nothing was changed. The SDK reads this"
        + " table; write it with an engine that supports the feature (Spark/Databricks).");
  }

  /** Cannot {op} table {table}. */
  public static UnsupportedTableFeatureException rowTrackingRewrite(Object op, Object table) {
    return new UnsupportedTableFeatureException("Cannot " + op + " table " + table + ": it uses the Delta writer"
        + " feature rowTracking, and this operation rewrites rows, which would give them new row ids (Spark keeps"
        + " them). Nothing was changed. Append to it with the SDK, and " + op + " it with Spark/Databricks.");
  }

  /** Value {quote} at row {r} of column '{colName}' has {chars} characters, more than the column's type ... */
  public static SchemaMismatchException valueTooLong(Object quote, Object r, Object colName, Object chars,
      boolean isChar, Object limit, Object table) {
    return new SchemaMismatchException("Value " + quote + " at row " + r + " of column '" + colName + "' has " + chars
        + " characters, more than the column's type " + (isChar ? "CHAR(" : "VARCHAR(") + limit + ") of table "
        + table + " allows (Spark"
        + " refuses it too). Nothing was written. Shorten the value or widen the column's type.");
  }

  // ------------------------------------------------------------ ParquetFooters

  /** Not a Parquet file (only {size} bytes). */
  public static IOException parquetFileBytes(Object size, Object file) {
    return new IOException("Not a Parquet file (only " + size + " bytes): " + file);
  }

  /** Not a plain Parquet file (no PAR1 at its end; encrypted footers are not rewritten). */
  public static IOException plainParquetFilePar1(Object file) {
    return new IOException("Not a plain Parquet file (no PAR1 at its end; encrypted footers are not rewritten): "
        + file);
  }

  /** Parquet footer length {len} does not fit file {file}. */
  public static IOException parquetFooterLengthFit(Object len, Object file) {
    return new IOException("Parquet footer length " + len + " does not fit file " + file);
  }

  /** Unexpected end of file. */
  public static IOException unexpectedEndFile() {
    return new IOException("Unexpected end of file");
  }

  // ------------------------------------------------------------ ColumnScan

  /** Cannot read data file {p} of table {opsDisplay}. */
  public static StorageException cannotScanDataFile(Object p, Object opsDisplay, Throwable e) {
    return new StorageException("Cannot read data file " + p + " of table " + opsDisplay + ": " + e, e);
  }

  // ------------------------------------------------------------ FilterEval

  /** {where} (used in filter {f}). */
  public static ColumnNotFoundException usedFilter(String c, List<String> schemaNames, Object where, Object f) {
    return new ColumnNotFoundException(c, schemaNames, where + " (used in filter " + f + ")");
  }

  /** Filter {f} on {where} contains null. */
  public static IllegalArgumentException filterContainsNullNever(Object f, Object where, Object inColumn) {
    return new IllegalArgumentException("Filter " + f + " on " + where + " contains null; IN never matches null in SQL."
        + " Add Filter.isNull(\"" + inColumn + "\") with Filter.or.");
  }

  /** Column '{column}' of {where} is {t}. */
  public static SchemaMismatchException columnFiltersCompareFlat(Object column, Object where, Object t) {
    return new SchemaMismatchException("Column '" + column + "' of " + where + " is " + t + "; filters compare only"
        + " flat columns. Use Filter.isNull(\"" + column + "\") or read the column and filter in Java.");
  }

  /** Filter value {quote} ({classGetSimpleName}) does not fit column '{column}' of {where}, which is {t}. */
  public static SchemaMismatchException filterValueDoesNotFit(Object quote, Object valueClass, Object column,
      Object where, Object t, Object detail) {
    return new SchemaMismatchException("Filter value " + quote + " (" + valueClass + ") does not fit column '"
        + column + "' of " + where + ", which is " + t + ": " + detail);
  }

  /** Filter value {quote} ({classGetSimpleName}) does not fit column '{column}' of {where}, which is {t}. */
  public static SchemaMismatchException filterValueNotConvertible(Object quote, Object valueClass,
      Object column, Object where, Object t, Object javaTypeFor) {
    return new SchemaMismatchException("Filter value " + quote + " (" + valueClass + ") does not fit column '"
        + column + "' of " + where + ", which is " + t + ". Pass " + javaTypeFor + ".");
  }

  // ------------------------------------------------------------ Vacuum

  /** vacuum of table {opsDisplay} needs the table on local disk. */
  public static MlopsException vacuumTableNeedsTable(Object opsDisplay, Object opsLocation) {
    return new MlopsException("vacuum of table " + opsDisplay + " needs the table on local disk; it is at "
        + opsLocation + ". Run VACUUM with Spark/Databricks for object stores.");
  }

  /** vacuum of table {opsDisplay} got retention {retention}. */
  public static IllegalArgumentException vacuumTableGotRetention(Object opsDisplay, Object retention) {
    return new IllegalArgumentException("vacuum of table " + opsDisplay + " got retention " + retention + ": pass a"
        + " duration of zero or more, e.g. Duration.ofDays(7).");
  }

  /** vacuum of table {opsDisplay} with retention {retention} is shorter than the table's retention {min}. */
  public static IllegalArgumentException vacuumTableRetentionShorter(Object opsDisplay, Object retention, Object min) {
    return new IllegalArgumentException("vacuum of table " + opsDisplay + " with retention " + retention + " is shorter"
        + " than the table's retention " + min + ": versions older than that could no longer be read (time travel) and"
        + " a writer still running could lose files it wrote. Use a retention of at least " + min
        + ", or vacuumForced(...) when you are sure no reader or writer needs them.");
  }

  /** Cannot list the files of table {opsDisplay} at {dir}. */
  public static StorageException listFilesTable(Object opsDisplay, Object dir, Throwable e) {
    return new StorageException("Cannot list the files of table " + opsDisplay + " at " + dir, e);
  }

  // ------------------------------------------------------------ TableOps

  /** Table {display} has no version {version}. */
  public static VersionNotFoundException negativeVersion(Object display, Object version) {
    return new VersionNotFoundException("Table " + display + " has no version " + version + ": versions start at 0."
        + " Use a version listed by history().");
  }

  /** Table {display} has no version {version}. */
  public static VersionNotFoundException versionAfterLatest(Object display, Object version, Object latestVersion,
      Throwable e) {
    return new VersionNotFoundException("Table " + display + " has no version " + version + ": its versions run up to "
        + latestVersion + ". Use a version in that range (see history()).", e);
  }

  /** Table {display} cannot be read at version {version}. */
  public static VersionNotFoundException versionUnreadable(Object display, Object version, Object sentence,
      Throwable e) {
    return new VersionNotFoundException("Table " + display + " cannot be read at version " + version + ": " + sentence
        + " The log files of that version may have been cleaned up after a checkpoint. Pick a version listed by"
        + " history().", e);
  }

  /** Table {display} has no snapshot at {timestamp}.{range} Use a timestamp within that span. */
  public static VersionNotFoundException noVersionAtTimestamp(Object display, Object timestamp, Object range,
      Throwable e) {
    return new VersionNotFoundException("Table " + display + " has no snapshot at " + timestamp + "." + range
        + " Use a timestamp within that span.", e);
  }

  /** Table {display} needs at least one column. */
  public static SchemaMismatchException tableNeedsLeastColumn(Object display) {
    return new SchemaMismatchException("Table " + display + " needs at least one column: pass a schema.");
  }

  /** Columns '{prev}' and '{n}' of table {display} differ only in case. */
  public static SchemaMismatchException columnsTableDifferCase(Object prev, Object n, Object display) {
    return new SchemaMismatchException("Columns '" + prev + "' and '" + n + "' of table " + display + " differ only in"
        + " case; Delta column names are case-insensitive (Spark would see one column). Rename one of them.");
  }

  /** the schema of {display} (named as a partition column). */
  public static ColumnNotFoundException schemaNamedPartitionColumn(String p, List<String> schemaNames, Object display) {
    return new dev.mlops.core.ColumnNotFoundException(p, schemaNames, "the schema of " + display + " (named as a"
        + " partition column)");
  }

  /** Partition column '{p}' of {display} is {schemaColumnType}. */
  public static SchemaMismatchException partitionColumnPartitionColumn(Object p, Object display,
      Object schemaColumnType) {
    return new SchemaMismatchException("Partition column '" + p + "' of " + display + " is " + schemaColumnType
        + "; partition by a column with few distinct values (string, date, int, long, boolean).");
  }

  /** Table {display} partitions by all its columns {partitionColumns}. */
  public static SchemaMismatchException tablePartitionsAllColumns(Object display, Object partitionColumns) {
    return new SchemaMismatchException("Table " + display + " partitions by all its columns " + partitionColumns
        + "; at least one column must hold data. Partition by fewer columns.");
  }

  /** Table {display} already exists (at {location}, version {version}). */
  public static TableAlreadyExistsException tableExists(Object display, Object location, Object version) {
    return new TableAlreadyExistsException("Table " + display + " already exists (at " + location + ", version "
        + version + "). Use ifNotExists() to reuse it, or drop it first.");
  }

  /** Table {display} was created by another writer at the same time. */
  public static TableAlreadyExistsException tableCreatedConcurrently(Object display) {
    return new TableAlreadyExistsException("Table " + display + " was created by another writer at the same time. Use"
        + " ifNotExists() to reuse it.");
  }

  /** Cannot create table {display}. */
  public static MlopsException cannotCreateTable(Object display, Object detail, Throwable e) {
    return new MlopsException("Cannot create table " + display + ": " + detail + ". Check the table properties given.",
        e);
  }

  /** Table {display} has columns of types the SDK cannot hold {unsupported}. */
  public static UnsupportedTableFeatureException unsupportedColumns(Object display, Object unsupported) {
    return new UnsupportedTableFeatureException("Table " + display + " has columns of types the SDK cannot hold "
        + unsupported + ". Read the others with read().columns(...).");
  }

  /** Column '{c}' of table {display} is {shortName}, which the SDK cannot hold. */
  public static UnsupportedTableFeatureException columnTableSdkHold(Object c, Object display, Object shortName) {
    return new UnsupportedTableFeatureException("Column '" + c + "' of table " + display + " is " + shortName
        + ", which the SDK cannot hold. Leave it out of columns(...).");
  }

  /** table {display}. */
  public static ColumnNotFoundException columnNotInTable(String c, List<String> tsNames, Object display) {
    return new dev.mlops.core.ColumnNotFoundException(c, tsNames, "table " + display);
  }

  /** Table {display}: version {fromVersion} is newer than {toGetVersion}. */
  public static VersionNotFoundException tableVersionNewerAsk(Object display, Object fromVersion, Object version) {
    return new VersionNotFoundException("Table " + display + ": version " + fromVersion + " is newer than "
        + version + ". Ask for changes from an older version.");
  }

  /** Cannot checkpoint table {display}. */
  public static UnsupportedTableFeatureException v2CheckpointsUnsupported(Object display) {
    return new UnsupportedTableFeatureException("Cannot checkpoint table " + display + ": it uses v2 checkpoints,"
        + " which the SDK does not write. Nothing was changed; checkpoint it with Spark/Databricks.");
  }

  /** Cannot write a checkpoint of table {display}. */
  public static StorageException cannotCheckpoint(Object display, Throwable e) {
    return new StorageException("Cannot write a checkpoint of table " + display, e);
  }

  // ------------------------------------------------------------ ParquetImport

  /** Cannot import {p}: nothing is there. */
  public static StorageException importNothingParquetFile(Object p) {
    return new StorageException("Cannot import " + p + ": nothing is there. Give a Parquet file or a folder of Parquet"
        + " files.", null);
  }

  /** Cannot list folder {p}. */
  public static StorageException listFolder(Object p, Object detail, Throwable e) {
    return new StorageException("Cannot list folder " + p + ": " + detail, e);
  }

  /** Folder {p} holds no Parquet file (*.parquet). */
  public static StorageException noParquetInFolder(Path p, boolean deltaTable) {
    return new StorageException("Folder " + p + " holds no Parquet file (*.parquet). Give a Parquet file or a folder of"
        + " them" + (deltaTable ? "; it is a Delta table: open it with ws.tables().atPath(\"" + p + "\")" : "") + ".",
        null);
  }

  /** Cannot read the Parquet footer of {file}. */
  public static StorageException readParquetFooterParquet(Object file, Object detail, Throwable e) {
    return new StorageException("Cannot read the Parquet footer of " + file + ": " + detail + ". Is it a Parquet"
        + " file?", e);
  }

  /** Parquet {path} has column(s) of types the SDK cannot hold. */
  public static SchemaMismatchException parquetColumnSTypes(Object path, Object bad, Object mapToList) {
    return new SchemaMismatchException("Parquet " + path + " has column(s) of types the SDK cannot hold: " + bad
        + ". Leave them out with columns(...); the readable columns are " + mapToList + ".");
  }

  /** Parquet {path}. */
  public static ColumnNotFoundException columnNotInParquet(String want, List<String> names, Object path) {
    return new ColumnNotFoundException(want, names, "Parquet " + path);
  }

  /** Column '{want}' of Parquet {path} is {unsupportedStrip}, a type the SDK cannot hold. */
  public static SchemaMismatchException columnParquetTypeSdk(Object want, Object path, Object unsupportedStrip) {
    return new SchemaMismatchException("Column '" + want + "' of Parquet " + path + " is " + unsupportedStrip
        + ", a type the SDK cannot hold. Leave it out of columns(...).");
  }

  /** Cannot read Parquet file {file} (of {path}). */
  public static StorageException readParquetFileWhole(Object file, Object path, Object detail, Throwable e) {
    return new StorageException("Cannot read Parquet file " + file + " (of " + path + "): " + detail + ". Is it a"
        + " whole, valid Parquet file?", e);
  }

  /** Cannot read Parquet file {file}. */
  public static StorageException readParquetFile(Object file, Object causeDetail, Throwable e) {
    return new StorageException("Cannot read Parquet file " + file + ": " + causeDetail, e);
  }

  /** Cannot close Parquet {path}. */
  public static StorageException closeParquet(Object path, Object detail, Throwable e) {
    return new StorageException("Cannot close Parquet " + path + ": " + detail, e);
  }

  // ------------------------------------------------------------ NestedNotNull

  /** Column '{path}' of table {table} is NOT NULL but row {row} of the data has a null there. */
  public static SchemaMismatchException nullInNestedNotNull(Object path, Object table, Object row) {
    return new SchemaMismatchException("Column '" + path + "' of table " + table + " is NOT NULL but row " + row
        + " of the data has a null there. Give it a value (or drop the row). Nothing was written.");
  }

  // ------------------------------------------------------------ WritePlanner

  /** An upsert or key delete given no key columns. */
  public static IllegalArgumentException noKeyColumns(String what, Object table) {
    return new IllegalArgumentException(what.startsWith("deleteKeys")
        ? "deleteKeys on " + table + " got a frame with no columns: pass the key columns and the keys to"
            + " delete, e.g. deleteKeys(Frame.of(Column.ofLongs(\"id\", 7)))."
        : what + " " + table + " needs key columns, e.g. upsert(frame, \"id\").");
  }

  /** Key column '{k}' is {columnType} but column '{k}' of table {display} is {tsType}. */
  public static SchemaMismatchException keyColumnColumnTable(Object k, Object columnType, Object display,
      Object tsType) {
    return new SchemaMismatchException("Key column '" + k + "' is " + columnType + " but column '" + k + "' of table "
        + display + " is " + tsType + ". Pass keys of the table's type.");
  }

  /** Column '{fName}' already exists in table {display}. */
  public static SchemaMismatchException columnAlreadyExistsTable(Object fName, Object display) {
    return new SchemaMismatchException("Column '" + fName + "' already exists in table " + display + ". Add only new"
        + " columns.");
  }

  /** New column '{fName}' differs only in case from column '{prev}' of table {display}. */
  public static SchemaMismatchException newColumnDiffersCase(Object fName, Object prev, Object display) {
    return new SchemaMismatchException("New column '" + fName + "' differs only in case from column '" + prev
        + "' of table " + display + "; Delta column names are case-insensitive. Give it a distinct name. Nothing was"
        + " changed.");
  }

  /** New column '{fName}' of table {display} is NOT NULL, but existing rows have no value for it. */
  public static SchemaMismatchException newColumnTableNull(Object fName, Object display) {
    return new SchemaMismatchException("New column '" + fName + "' of table " + display + " is NOT NULL, but existing"
        + " rows have no value for it. Add it as nullable.");
  }

  /** Cannot {op} table {display}. */
  public static UnsupportedTableFeatureException unsupportedColumnsOnWrite(Object op, Object display,
      Object unsupported) {
    return new UnsupportedTableFeatureException("Cannot " + op + " table " + display + ": it has columns of types the"
        + " SDK cannot hold " + unsupported + ". Nothing was changed; write this table with Spark, or read the other"
        + " columns with read().columns(...).");
  }

  /** Cannot {op} table {display}. */
  public static UnsupportedTableFeatureException tableTrueSdkWrite(Object op, Object display, Object k) {
    return new UnsupportedTableFeatureException("Cannot " + op + " table " + display + ": it has " + k + "=true, which"
        + " the SDK does not write. Nothing was changed.");
  }

  /** Cannot {op} table {display}. */
  public static UnsupportedTableFeatureException tableAppendOnlyDeltaAppendOnly(Object op, Object display) {
    return new UnsupportedTableFeatureException("Cannot " + op + " table " + display + ": it is append-only"
        + " (delta.appendOnly=true). Nothing was changed. Use append, or unset the property.");
  }

  /** Cannot {op} table {display}. */
  public static UnsupportedTableFeatureException tableCheckConstraintSdk(Object op, Object display, Object k) {
    return new UnsupportedTableFeatureException("Cannot " + op + " table " + display + ": it has the CHECK constraint "
        + k + ", which the SDK does not enforce. Nothing was changed.");
  }

  /** Cannot add columns to table {display}. */
  public static UnsupportedTableFeatureException columnsTableDeltaColumn(Object display) {
    return new UnsupportedTableFeatureException("Cannot add columns to table " + display + ": it does not use Delta"
        + " column mapping, which Delta Kernel needs to change a schema. Tables the SDK creates have it; for this"
        + " table run in Spark: ALTER TABLE ... SET TBLPROPERTIES ('delta.columnMapping.mode'='name').");
  }

  /** Column '{cName}' of the data differs only in case from a column of table {display} {fromKernelNames}. */
  public static SchemaMismatchException columnDataDiffersCase(Object cName, Object display, Object fromKernelNames) {
    return new SchemaMismatchException("Column '" + cName + "' of the data differs only in case from a column of table "
        + display + " " + fromKernelNames + "; Delta column names are case-insensitive. Rename it to the existing"
        + " column's spelling or to a distinct name. Nothing was written.");
  }

  /** the data for {display} (named as a key column). */
  public static ColumnNotFoundException dataNamedKeyColumn(String k, List<String> schemaNames, Object display) {
    return new dev.mlops.core.ColumnNotFoundException(k, schemaNames, "the data for " + display + " (named as a key"
        + " column)");
  }

  /** Key column '{k}' of {display} is {cColumnType}, which cannot be a key (values of it do not compare exactly). */
  public static SchemaMismatchException keyColumnKeyValues(Object k, Object display, Object cColumnType,
      Object keyKinds) {
    return new SchemaMismatchException("Key column '" + k + "' of " + display + " is " + cColumnType + ", which cannot"
        + " be a key (values of it do not compare exactly). Use a " + keyKinds + " key.");
  }

  /** Key column '{k}' is null at row {row} of the data for table {display} ({cNullCount} null key(s) in all). */
  public static KeyConstraintException keyColumnNullRow(Object k, Object row, Object display, Object cNullCount) {
    return new KeyConstraintException("Key column '" + k + "' is null at row " + row + " of the data for table "
        + display + " (" + cNullCount + " null key(s) in all). Every row needs a key: fill or drop those rows.");
  }

  /** table {display} (named as a key column). */
  public static ColumnNotFoundException tableNamedKeyColumn(String k, List<String> tsNames, Object display) {
    return new dev.mlops.core.ColumnNotFoundException(k, tsNames, "table " + display + " (named as a key column)");
  }

  /** Column '{fName}' of table {display} is NOT NULL but row {row} of the data is null. */
  public static SchemaMismatchException nullInNotNullColumn(Object fName, Object display, Object row) {
    return new SchemaMismatchException("Column '" + fName + "' of table " + display + " is NOT NULL but row " + row
        + " of the data is null. Fill the value or drop the row.");
  }

  // ------------------------------------------------------------ TableAccess

  /** TableAccess.install is for dev.mlops.core.DeltaTable only, not {callerGetName}. */
  public static IllegalStateException tableAccessInstallDevMlops(Object name) {
    return new IllegalStateException("TableAccess.install is for dev.mlops.core.DeltaTable only, not " + name
        + ".");
  }

  /** TableAccess is installed already. */
  public static IllegalStateException tableAccessAlreadyInstalled() {
    return new IllegalStateException("TableAccess is installed already.");
  }

  /** TableAccess is not installed. */
  public static IllegalStateException tableAccessNotInstalled() {
    return new IllegalStateException("TableAccess is not installed");
  }

  // ------------------------------------------------------------ CommitLoop

  /** Cannot {op} table {display}. */
  public static UnsupportedTableFeatureException unsupportedFeatureOnCommit(Object op, Object display, Object sentence,
      Throwable e) {
    return new UnsupportedTableFeatureException("Cannot " + op + " table " + display + ": " + sentence + " Nothing was"
        + " changed. The SDK reads this table; write it with an engine that supports the feature (Spark/Databricks).",
        e);
  }

  /** Cannot {op} table {display}. */
  public static MlopsException commitFailed(Object op, Object display, Object sentence, Throwable e) {
    return new MlopsException("Cannot " + op + " table " + display + ": " + sentence + " Nothing was changed.", e);
  }

  /** Gave up {op} on table {display} after {maxAttempts} attempts. */
  public static ConcurrentWriteException tooManyConflicts(Object op, Object display, Object maxAttempts,
      Throwable last) {
    return new ConcurrentWriteException("Gave up " + op + " on table " + display + " after " + maxAttempts
        + " attempts: other writers kept committing first. Nothing of this write was committed; retry later or write"
        + " less often to this table.", last);
  }

  /** Gave up APPEND on table {display}. */
  public static ConcurrentWriteException appendConflict(Object display, Object sentence, Throwable e) {
    return new ConcurrentWriteException("Gave up APPEND on table " + display + ": another writer changed it in a way"
        + " this import cannot be rebased over (" + sentence + ") Nothing of this import was committed; run it again.",
        e);
  }

  /** Cannot APPEND to table {display}. */
  public static MlopsException appendFailed(Object display, Object sentence, Throwable e) {
    return new MlopsException("Cannot APPEND to table " + display + ": " + sentence + " Nothing was changed.", e);
  }

  /** Interrupted while retrying a write to table {display} after a conflict. */
  public static MlopsException interruptedRetry(Object display, Throwable e) {
    return new MlopsException("Interrupted while retrying a write to table " + display + " after a conflict. Nothing"
        + " of this write was committed.", e);
  }

  // ------------------------------------------------------------ TableFiles

  /** Cannot list the data files of table {tableDisplay}. */
  public static StorageException listDataFilesTable(Object tableDisplay, Throwable e) {
    return new StorageException("Cannot list the data files of table " + tableDisplay, e);
  }

  /** Cannot read data file {fsGetPath} of table {tableDisplay}. */
  public static StorageException cannotReadDataFile(Object path, Object tableDisplay, Throwable e) {
    return new StorageException("Cannot read data file " + path + " of table " + tableDisplay, e);
  }

  /** Cannot write data files of table {tableDisplay} under {ctxGetTargetDirectory}. */
  public static StorageException writeDataFilesTable(Object tableDisplay, Object targetDirectory, Object detail,
      Throwable e) {
    return new StorageException("Cannot write data files of table " + tableDisplay + " under " + targetDirectory
        + ": " + detail, e);
  }

  /** Cannot record data files of table {tableDisplay}. */
  public static StorageException recordDataFilesTable(Object tableDisplay, Throwable e) {
    return new StorageException("Cannot record data files of table " + tableDisplay, e);
  }

  // ------------------------------------------------------------ ColumnarParquetWriter

  /** not a flat column: {cColumnType}. */
  public static IllegalStateException flatColumn(Object cColumnType) {
    return new IllegalStateException("not a flat column: " + cColumnType);
  }

  /** not a flat type: {t}. */
  public static IllegalArgumentException flatType(Object t) {
    return new IllegalArgumentException("not a flat type: " + t);
  }

  // ------------------------------------------------------------ Parallel

  /** Interrupted while reading or writing data of table {display}. */
  public static MlopsException interruptedFileJob(Object display, Throwable e) {
    return new MlopsException("Interrupted while reading or writing data of table " + display, e);
  }

  // ------------------------------------------------------------ Values

  /** Null at {where} of column '{column}', where the type {type} allows no nulls. */
  public static SchemaMismatchException nullColumnTypeAllows(Object where, Object column, Object type) {
    return new SchemaMismatchException("Null at " + where + " of column '" + column + "', where the type " + type
        + " allows no nulls. Give a value.");
  }

  /** Value {quote} ({classGetSimpleName}) at {where} does not fit column '{column}'. */
  public static SchemaMismatchException valueFitColumnType(Object quote, Object valueClass, Object where,
      Object column, Object type, Object javaTypeFor) {
    return new SchemaMismatchException("Value " + quote + " (" + valueClass + ") at " + where + " does not fit"
        + " column '" + column + "': the type there is " + type + ". Pass " + javaTypeFor + ".");
  }

  /** Value {dToPlainString} at {where} of column '{column}' has more than {tScale} digits after the point, ... */
  public static SchemaMismatchException valueColumnMoreDigits(Object dToPlainString, Object where, Object column,
      Object tScale, Object t) {
    return new SchemaMismatchException("Value " + dToPlainString + " at " + where + " of column '" + column
        + "' has more than " + tScale + " digits after the point, which " + t + " holds. Round it first"
        + " (BigDecimal.setScale(" + tScale + ", RoundingMode.HALF_EVEN)) or widen the column's scale.");
  }

  /** Value {dToPlainString} at {where} of column '{column}' needs {outPrecision} digits, more than {t} holds ... */
  public static SchemaMismatchException valueColumnNeedsDigits(Object dToPlainString, Object where, Object column,
      Object outPrecision, Object t, Object value) {
    return new SchemaMismatchException("Value " + dToPlainString + " at " + where + " of column '" + column + "' needs "
        + outPrecision + " digits, more than " + t + " holds (at most " + value + " before the point). Widen the"
        + " column's precision.");
  }

  /** Key {quote} at {where} of column '{column}' is not a field of {t}. */
  public static SchemaMismatchException keyColumnFieldField(Object quote, Object where, Object column, Object t,
      Object tNames) {
    return new SchemaMismatchException("Key " + quote + " at " + where + " of column '" + column + "' is not a field of"
        + " " + t + ". Use the field names " + tNames + ".");
  }

  /** The accessor of component '{rcGetName}' of {classGetName} threw {eGetCause}. */
  public static MlopsException recordAccessorThrew(Object name, Object className, Throwable cause) {
    return new MlopsException("The accessor of component '" + name + "' of " + className + " threw " + cause
        + ".", cause);
  }

  /** Cannot read component '{rcGetName}' of {classGetName}. */
  public static MlopsException recordNotAccessible(Object name, Object className, Throwable e) {
    return new MlopsException("Cannot read component '" + name + "' of " + className + ": make the record"
        + " public (or its package open).", e);
  }

  /** Column '{column}' is {type}, which is not read from text. */
  public static SchemaMismatchException columnReadTextRead(Object column, Object type) {
    return new SchemaMismatchException("Column '" + column + "' is " + type + ", which is not read from text. Read it"
        + " as STRING and convert it.");
  }

  /** Cannot read {quote} in column '{column}', {where}, as {type} ({javaTextFor}). */
  public static SchemaMismatchException readColumnFixValue(Object quote, Object column, Object where, Object type,
      Object javaTextFor) {
    return new SchemaMismatchException("Cannot read " + quote + " in column '" + column + "', " + where + ", as " + type
        + " (" + javaTextFor + "). Fix the value or declare the column's type as STRING in the schema you pass.");
  }

  // ------------------------------------------------------------ ColumnAccess

  /** ColumnAccess.install is for dev.mlops.core.Column only, not {callerGetName}. */
  public static IllegalStateException columnAccessInstallDevMlops(Object name) {
    return new IllegalStateException("ColumnAccess.install is for dev.mlops.core.Column only, not " + name
        + ".");
  }

  /** ColumnAccess is installed already. */
  public static IllegalStateException columnAccessAlreadyInstalled() {
    return new IllegalStateException("ColumnAccess is installed already.");
  }

  /** Zero-copy column access is for the SDK's own classes, not {callerGetName}. */
  public static IllegalStateException zeroCopyColumnAccessSdk(Object name) {
    return new IllegalStateException("Zero-copy column access is for the SDK's own classes, not " + name
        + ": it shares the arrays of immutable columns. Read columns through Column's getters (getLong, toLongArray,"
        + " ...), which copy.");
  }

  // ------------------------------------------------------------ Schema

  /** Column '{fName}' appears twice in the schema {all}. */
  public static IllegalArgumentException columnAppearsTwiceSchema(Object fName, Object all) {
    return new IllegalArgumentException("Column '" + fName + "' appears twice in the schema " + all + ": give each"
        + " column a unique name.");
  }

  /** the schema. */
  public static ColumnNotFoundException columnNotInSchema(String name, List<String> names) {
    return new ColumnNotFoundException(name, names, "the schema");
  }

  // ------------------------------------------------------------ Column

  /** Column '{name}' is {type}. */
  public static SchemaMismatchException getterDoesNotApply(Object name, Object type, Object method) {
    return new SchemaMismatchException("Column '" + name + "' is " + type + "; " + method + " does not apply to it. Use"
        + " the getter for " + type + " or get(row).");
  }

  // ------------------------------------------------------------ Csv

  /** Cannot read CSV file {path} near line {tokLine}. */
  public static StorageException readCsvFileNear(Object path, Object tokLine, Throwable e) {
    return new StorageException("Cannot read CSV file " + path + " near line " + tokLine + ": it is not UTF-8 text."
        + " Save it as UTF-8.", e);
  }

  /** Column '{column}' of {where} is {value}. */
  public static SchemaMismatchException columnCsvTextStruct(Object column, Object where, Object type) {
    return new SchemaMismatchException("Column '" + column + "' of " + where + " is " + (type == null ? "nested"
        : type) + ": CSV has no text for"
        + " STRUCT, ARRAY or MAP values. Select the columns CSV can hold (or flatten the nested one into its fields),"
        + " or use Parquet or a Delta table, which keep nested values.");
  }

  // ------------------------------------------------------------ LogCheck

  /** The Delta log of table {display} has a gap. */
  public static CorruptTableException logGap(String display, Long expect, String commitFile,
      Object commitFile2, Object v, Throwable cause) {
    return new CorruptTableException(display, expect, commitFile, "The Delta log of table " + display + " has a gap:"
        + " commit file " + commitFile2 + " (version " + expect + ") is missing while version " + v + " exists."
        + " Versions must be contiguous; restore the missing commit file from a backup. Until then the table cannot be"
        + " read or written.", cause);
  }

  /** Table {display} needs Delta reader version {reader} (set at version {v}, file {eGetValue}). */
  public static UnsupportedTableFeatureException readerVersionTooNew(Object display, Object reader, Object v,
      Object value, Object maxReaderVersion, Throwable cause) {
    return new UnsupportedTableFeatureException("Table " + display + " needs Delta reader version " + reader
        + " (set at version " + v + ", file " + value + "); the SDK reads reader versions up to " + maxReaderVersion
        + ". Read it with an engine that supports it (Spark/Databricks), or recreate it with fewer table features.",
        cause);
  }

  /** The Delta log of table {display} has no {value} action (expected in {first}, version {commitsFirstKey}). */
  public static CorruptTableException noProtocolOrMetadata(String display, Long commitsFirstKey, String first,
      boolean protocol, boolean metadata, Throwable cause) {
    return new CorruptTableException(display, commitsFirstKey, first, "The Delta log of table " + display + " has no "
        + (!protocol && !metadata ? "protocol and no metadata" : !protocol ? "protocol" : "metadata")
        + " action (expected in " + first + ", version " + commitsFirstKey + "): it does not describe a"
        + " table. Restore the log from a backup, or recreate the table.", cause);
  }

  /** The Delta log of table {display} is damaged at version {version}. */
  public static CorruptTableException damagedCommit(String display, Long version, String file, Object file2,
      Object problem, Object value, Throwable cause) {
    return new CorruptTableException(display, version, file, "The Delta log of table " + display + " is damaged at"
        + " version " + version + ": commit file " + file2 + " " + problem + ". Reads and writes of this table are"
        + " refused so that nothing is built on top of it. To recover: if a writer was killed while writing this file"
        + " and nobody has read version " + version + ", move the file out of _delta_log (the table goes back to"
        + " version " + value + "); otherwise restore it from a backup.", cause);
  }

  /** Data file {file} of table {display} (version {version}) is missing. */
  public static CorruptTableException missingDataFile(String display, Long version, String file, boolean latest,
      Throwable cause) {
    return new CorruptTableException(display, version, file, "Data file " + file + " of table " + display + " (version "
        + version + ") is missing: " + (latest ? "it was deleted outside the SDK. Restore it from a backup, or"
        + " overwrite the table with the rows you still have." : "it was probably removed by VACUUM, which deletes"
        + " files older versions need. Read a newer version (see history()); keep versions readable longer with a"
        + " longer vacuum retention."), cause);
  }

  // ------------------------------------------------------------ TableOps

  /** Cannot read table {display}. */
  public static UnsupportedTableFeatureException unsupportedOnRead(Object display, Object sentence, Throwable e) {
    return new UnsupportedTableFeatureException("Cannot read table " + display + ": " + sentence + " The SDK's Delta"
        + " reader does not support it; read the table with Spark/Databricks.", e);
  }

  /** Cannot read the Delta log of table {display} at {location}. */
  public static StorageException cannotReadLog(Object display, Object location, Object sentence, Throwable e) {
    return new StorageException("Cannot read the Delta log of table " + display + " at " + location + ": " + sentence
        + " Check that the files are readable.", e);
  }

  /** The Delta log of table {display} at {location} cannot be loaded{value}. */
  public static CorruptTableException logNotLoadable(String display, Long version, Object location, Object sentence,
      Throwable e) {
    return new dev.mlops.core.CorruptTableException(display, version, null, "The Delta log of table " + display + " at "
        + location + " cannot be loaded" + (version == null ? "" : " at version " + version) + ": " + sentence
        + " It was not written as Delta Lake expects;"
        + " restore _delta_log from a backup, or rewrite the table with the engine that created it.", e);
  }

  /** '{display}' at {location} holds files but no Delta log (_delta_log/). */
  public static TableNotFoundException notADeltaTable(Object display, Object location) {
    return new TableNotFoundException("'" + display + "' at " + location + " holds files but no Delta log"
        + " (_delta_log/): it is not a Delta table. Point to the table's root directory, or convert the data to Delta"
        + " first.");
  }

  /** Table '{display}' does not exist (nothing at {location}). */
  public static TableNotFoundException tableNotFound(Object display, Object location) {
    return new TableNotFoundException("Table '" + display + "' does not exist (nothing at " + location + "). Create it"
        + " first, e.g. ws.tables().create(\"" + display + "\").schema(...).create(), or check the name.");
  }

  // ------------------------------------------------------------ ParquetImport

  /** Column '{cName}' is {describe} in Parquet file {f} but {describe} in {seenIn} (the files of one import, ... */
  public static FileSchemaMismatchException columnParquetFileFiles(Path f, String cName, Object describe,
      Object describe2, Object seenIn, Object path) {
    return new FileSchemaMismatchException(f, cName, "Column '" + cName + "' is " + describe + " in Parquet file " + f
        + " but " + describe2 + " in " + seenIn + " (the files of one import, " + path + ", must agree on each"
        + " column's type). Convert that file, move it out of the folder, or leave the column out with columns(...)."
        + " Nothing was imported.");
  }

  // ------------------------------------------------------------ WritePlanner

  /** Key {key} appears more than once in the data for table {display} (rows {value} and {value}). */
  public static KeyConstraintException duplicateKeyInData(Object key, Object display, Object value, Object value2) {
    return new KeyConstraintException("Key " + key + " appears more than once in the data for table " + display
        + " (rows " + value + " and " + value2 + "). Each key may appear once per write: deduplicate the rows first"
        + " (keep the latest per key).");
  }

  // ------------------------------------------------------------ Values

  /** Value {quote} ({classGetSimpleName}) at row {i} does not fit column '{column}' of type {type}. */
  public static SchemaMismatchException valueRowFitColumn(Object quote, Object valueClass, Object i,
      Object column, Object type, Object javaTypeFor) {
    return new SchemaMismatchException("Value " + quote + " (" + valueClass + ") at row " + i + " does not fit"
        + " column '" + column + "' of type " + type + ". Pass " + javaTypeFor + ".");
  }

  // ------------------------------------------------------------ FileStores

  /** A workspace registered its file store twice (an SDK bug). */
  public static IllegalStateException fileStoreAlreadySet(Workspace ws) {
    return new IllegalStateException("The file store of " + ws + " is already set");
  }

  /** A workspace without a registered file store (not built, or not open). */
  public static IllegalStateException noFileStore(Workspace ws) {
    return new IllegalStateException("No file store for " + ws);
  }

  // ------------------------------------------------------------ LocalFileStore, HadoopFileStore, FileLocks

  /** A store path that is absolute or uses '\'. */
  public static IllegalArgumentException notRelativeStorePath(String rel) {
    return new IllegalArgumentException("Not a relative '/'-separated path: '" + rel + "'");
  }

  /** A store path that '..' leads out of the store's root. */
  public static IllegalArgumentException storePathOutsideRoot(String rel, Path root) {
    return new IllegalArgumentException("The path '" + rel + "' leads outside " + root);
  }

  /** A Hadoop store path that is absolute, uses '\' or contains '..'. */
  public static IllegalArgumentException notRelativePathInsideRoot(String rel) {
    return new IllegalArgumentException("Not a relative '/'-separated path inside the root: '" + rel + "'");
  }

  /** Cannot read {file}: {detail}. */
  public static StorageException cannotReadFile(Path file, IOException e) {
    return new StorageException("Cannot read " + file + ": " + e.getMessage(), e);
  }

  /** Cannot append to {file}: {detail}. */
  public static StorageException cannotAppend(Path file, IOException e) {
    return new StorageException("Cannot append to " + file + ": " + e.getMessage(), e);
  }

  /** Cannot list {dir}: {detail}. */
  public static StorageException cannotList(Path dir, IOException e) {
    return new StorageException("Cannot list " + dir + ": " + e.getMessage(), e);
  }

  /** Cannot list the files under {dir}: {detail} (an I/O error, possibly wrapped while walking). */
  public static StorageException cannotListFilesUnder(Path dir, Exception e) {
    return new StorageException("Cannot list the files under " + dir + ": " + e.getMessage(), e);
  }

  /** Cannot read the time of {file}: {detail}. */
  public static StorageException cannotReadModifiedTime(Path file, IOException e) {
    return new StorageException("Cannot read the time of " + file + ": " + e.getMessage(), e);
  }

  /** Cannot create directory {dir}: {detail}. */
  public static StorageException cannotCreateDirectory(Path dir, IOException e) {
    return new StorageException("Cannot create directory " + dir + ": " + e.getMessage(), e);
  }

  /** Cannot rename {from} to {to}: {detail}; the names are paths or URIs without user info. */
  public static StorageException cannotRename(String from, String to, IOException e) {
    return new StorageException("Cannot rename " + from + " to " + to + ": " + e.getMessage(), e);
  }

  /** S3A's rename (a server-side copy) of one file answered false instead of copying it. */
  public static IOException s3CopyRefused(String from, String to) {
    return new IOException("S3A did not copy " + from + " to " + to + " (its rename answered false: the source"
        + " is gone or the target exists); the move was not completed");
  }

  /** Cannot copy {from} to {to}: {detail}; the names are paths or URIs without user info. */
  public static StorageException cannotCopy(String from, String to, IOException e) {
    return new StorageException("Cannot copy " + from + " to " + to + ": " + e.getMessage(), e);
  }

  /** Cannot lock {lockFile}: {detail}. */
  public static StorageException cannotLock(Path lockFile, IOException e) {
    return new StorageException("Cannot lock " + lockFile + ": " + e.getMessage(), e);
  }

  /** The Hadoop filesystem of {rootUri} (without user info) could not be created or reached. */
  public static StorageException cannotReachFilesystem(String rootUri, Exception e) {
    return new StorageException("Cannot reach the filesystem of " + rootUri + ": " + e.getMessage()
        + ". Check the URI's host and port, that the service runs, and the Hadoop settings passed to"
        + " Workspace.open.", e);
  }

  /** The Hadoop FileContext of {rootUri} (without user info) could not be created. */
  public static StorageException cannotReachFileContext(String rootUri, Exception e) {
    return new StorageException("Cannot reach the filesystem of " + rootUri + ": " + e.getMessage(), e);
  }

  /** Interrupted while pausing between retries on a Hadoop filesystem. */
  public static StorageException interruptedWaitingForFilesystem(InterruptedException e) {
    return new StorageException("Interrupted while waiting for the filesystem", e);
  }

  /** A lock file {lockUri} (without user info) held by another process for {waitedMinutes} minutes. */
  public static StorageException lockHeldTooLong(String lockUri, long waitedMinutes) {
    return new StorageException("Cannot take the lock " + lockUri + ": another process has held it for "
        + waitedMinutes + " minutes. If no process of this workspace is running, delete that file.", null);
  }

  // ------------------------------------------------------------ ColumnarParquet

  /** zstd-jni failed to compress a page. */
  public static IOException cannotCompressZstdPage(RuntimeException e) {
    return new IOException("Cannot compress a ZSTD page: " + e.getMessage(), e);
  }

  /** A page of more bytes than one compression call takes. */
  public static IOException pageTooLarge(long size) {
    return new IOException("A Parquet page of " + size + " bytes is too large to compress in one call; lower"
        + " parquet.page.size (the default is 1 MiB).");
  }

  /** zstd-jni failed on a page. */
  public static IOException cannotDecompressZstdPage(RuntimeException e) {
    return new IOException("Cannot decompress a ZSTD page: " + e.getMessage(), e);
  }

  /** A ZSTD page whose decompressed size differs from its header's. */
  public static IOException zstdPageSizeMismatch(int got, int uncompressedSize) {
    return new IOException("A ZSTD page decompressed to " + got + " bytes, its header says " + uncompressedSize);
  }

  /** A Parquet file that ends before a read is complete. */
  public static java.io.EOFException unexpectedEndOfParquetFile(Path file, int bytesLeft) {
    return new java.io.EOFException("Reached the end of " + file + " with " + bytesLeft + " bytes left to read");
  }

  // ------------------------------------------------------------ S3Commits

  /** Why an S3 store gives no conditional create: the Hadoop configuration switches it off. */
  public static String s3ConditionalWritesSwitchedOff() {
    return "conditional writes are switched off in the Hadoop configuration"
        + " (fs.s3a.create.conditional.enabled=false, or per bucket fs.s3a.bucket.<bucket>.create.conditional.enabled)";
  }

  /** Why an S3 store gives no conditional create: the S3A connector ({hadoopAwsVersion}) is too old. */
  public static String s3ConnectorWithoutConditionalCreates(String hadoopAwsVersion, String detail) {
    return "the S3A connector on the class path (hadoop-aws " + hadoopAwsVersion
        + ") does not offer conditional creates (" + detail + "); hadoop-aws 3.4.2 or newer does";
  }

  /** Why an S3 store gives no conditional create: the filesystem lacks the path capability {capability}. */
  public static String s3ConnectorWithoutPathCapability(String hadoopAwsVersion, String capability) {
    return s3ConnectorWithoutConditionalCreates(hadoopAwsVersion, "no path capability " + capability);
  }

  /** A commit file {file} that another writer created first. */
  public static java.nio.file.FileAlreadyExistsException commitCreatedByAnotherWriter(String file) {
    return new java.nio.file.FileAlreadyExistsException(file, null, "another writer created it first");
  }

  /** A commit refused because another process holds a writer lease on a store without conditional writes. */
  public static UnsafeConcurrentWriteException unsafeConcurrentWrite(String table, String otherWriter,
      long secondsSinceItsCommit, String why, long leaseSeconds, String leaseSetting) {
    return new UnsafeConcurrentWriteException("Refused to commit to table " + table + ": another process ("
        + otherWriter + ", last commit " + secondsSinceItsCommit + " s ago) is writing it, and this store gives no"
        + " conditional write (put-if-absent, If-None-Match: *): " + why + ". Two processes committing"
        + " at once could overwrite each other's commit, so nothing of this write was committed. Fix: enable"
        + " conditional writes (Amazon S3 and most S3-compatible servers support them; do not set"
        + " fs.s3a.create.conditional.enabled=false; use hadoop-aws 3.4.2 or newer), or write this table from"
        + " one process at a time: the other process's lease ends when its workspace is closed, or "
        + leaseSeconds + " s after its last commit (" + leaseSetting + ").", table, why);
  }

  /**
   * A create-once write of the workspace's metadata (tracking, registry) refused because another
   * process holds a writer lease on a store without conditional writes.
   */
  public static UnsafeConcurrentWriteException unsafeConcurrentMetadataWrite(String what, String scope,
      String otherWriter, long secondsSinceItsWrite, String why, long leaseSeconds, String leaseSetting) {
    return new UnsafeConcurrentWriteException("Refused to write " + what + ": another process (" + otherWriter
        + ", last write " + secondsSinceItsWrite + " s ago) is writing the workspace's tracking and registry files"
        + " under " + scope + ", and this store gives no conditional write (put-if-absent, If-None-Match: *): " + why
        + ". Two processes could then both take one registry version number or one lock, so nothing of this write"
        + " was stored. Fix: enable conditional writes (Amazon S3 and most S3-compatible servers support them; do"
        + " not set fs.s3a.create.conditional.enabled=false; use hadoop-aws 3.4.2 or newer), or track and register"
        + " from one process at a time: the other process's lease ends when its workspace is closed, or "
        + leaseSeconds + " s after its last write (" + leaseSetting + ").", scope, why);
  }

  // ------------------------------------------------------------ RemoteFileIO

  /**
   * The store could not be reached or refused access while doing {op} (a verb phrase, e.g. "read the
   * status of") on {path}. The path must come scrubbed of user info; the cause scrubbed too.
   */
  public static StorageAccessException storeAccessFailed(String op, String scrubbedPath, URI root, String why,
      String whatToCheck, Throwable scrubbedCause) {
    return new StorageAccessException("Cannot " + op + " " + scrubbedPath + " of the workspace " + root + ": "
        + why + " " + whatToCheck + " Nothing was changed.", root, scrubbedCause);
  }

  // ------------------------------------------------------------ Workspace

  /** Workspace.builder(null Path). */
  public static IllegalArgumentException workspaceNullDirectory() {
    return new IllegalArgumentException("Workspace.builder(dir) got a null directory: pass a Path such as Path.of(\"lakehouse\").");
  }

  /** Workspace.builder(null URI). */
  public static IllegalArgumentException workspaceNullUri() {
    return new IllegalArgumentException("Workspace.builder(uri) got a null URI: pass e.g. URI.create(\"s3a://bucket/lakehouse\").");
  }

  /** Workspace.Builder.executor(null). */
  public static IllegalArgumentException workspaceNullExecutor() {
    return new IllegalArgumentException("executor(null): pass an Executor, or leave it out for the workspace's own pool.");
  }

  /** A null or negative writer-lock wait. */
  public static IllegalArgumentException workspaceBadLockWait(java.time.Duration wait) {
    return new IllegalArgumentException("writerLockWait(" + wait + "): pass a duration of zero or more, e.g."
        + " Duration.ofSeconds(10).");
  }

  /** The workspace root could not be created. */
  public static StorageException cannotCreateWorkspaceDirectory(Path dir, IOException e) {
    return new StorageException("Cannot create the workspace directory " + dir
        + ": check that the parent exists and is writable.", e);
  }

  /** A feature that keeps its files with java.nio on a remote workspace. */
  public static MlopsException needsLocalWorkspace(String name, URI root) {
    return new MlopsException("'" + name + "' needs a workspace on a local or mounted directory, but this "
        + "workspace is at " + root + ". Open a local workspace for '" + name + "'; keep tables, tracking and "
        + "the registry on " + root.getScheme() + ": by opening it as a second workspace.");
  }

  /** A module's top-level folder could not be created. */
  public static StorageException cannotCreateWorkspaceFolder(Path p, IOException e) {
    return new StorageException("Cannot create " + p + ": check that the workspace directory is writable.", e);
  }

  /** A workspace folder could not be listed. */
  public static StorageException cannotListWorkspaceFolder(Path dir, IOException e) {
    return new StorageException("Cannot list " + dir + ": check that the workspace directory is readable.", e);
  }

  // ------------------------------------------------------------ StorageConnectors

  /** s3:// or s3n://, which Hadoop 3 removed. */
  public static dev.mlops.core.StorageConnectorMissingException schemeGoneInHadoop3(URI root, String scheme,
      String rest, String hadoopGroup, String hadoopVersion) {
    return new dev.mlops.core.StorageConnectorMissingException("The workspace " + root + " uses the scheme '" + scheme
        + "', which Hadoop 3 no longer has. Use s3a://" + rest + " and add "
        + hadoopGroup + ":hadoop-aws:" + hadoopVersion + " and " + hadoopGroup + ":hadoop-common:" + hadoopVersion
        + " to your dependencies.", scheme,
        List.of(hadoopGroup + ":hadoop-common:" + hadoopVersion, hadoopGroup + ":hadoop-aws:" + hadoopVersion), null);
  }

  /** No Hadoop FileSystem registered for the scheme. */
  public static dev.mlops.core.StorageConnectorMissingException noFileSystemForScheme(URI root, String scheme,
      String hadoopGroup, String hadoopVersion, Throwable cause) {
    return new dev.mlops.core.StorageConnectorMissingException("The workspace " + root + " uses the scheme '" + scheme
        + "', and no Hadoop FileSystem for '" + scheme + "' is on the class path. Add the Hadoop connector"
        + " that provides it (a jar registering an org.apache.hadoop.fs.FileSystem for '" + scheme + "', or set"
        + " fs." + scheme + ".impl in the workspace's Hadoop configuration) together with " + hadoopGroup
        + ":hadoop-common:" + hadoopVersion + ".", scheme, List.of(hadoopGroup + ":hadoop-common:" + hadoopVersion),
        cause);
  }

  /** The scheme's connector is present but cannot be linked. */
  public static dev.mlops.core.StorageConnectorMissingException connectorCannotLoad(URI root, String scheme,
      String fsClass, String hadoopGroup, String hadoopVersion, LinkageError e) {
    return new dev.mlops.core.StorageConnectorMissingException("The workspace " + root + " uses the scheme '" + scheme
        + "': its connector " + fsClass + " is on the class path but cannot be loaded (" + e + "), usually because"
        + " the Hadoop libraries it runs on are missing: the SDK trims hadoop-common's dependencies to what"
        + " local disks need. Declare " + hadoopGroup + ":hadoop-common:" + hadoopVersion + " in your own"
        + " dependencies so that they come back.", scheme, List.of(hadoopGroup + ":hadoop-common:" + hadoopVersion),
        e);
  }

  /** The scheme's connector is not on the class path. */
  public static dev.mlops.core.StorageConnectorMissingException connectorMissing(URI root, String scheme,
      String fsClass, List<String> artifacts, Throwable cause) {
    return new dev.mlops.core.StorageConnectorMissingException("The workspace " + root + " uses the scheme '" + scheme
        + "', whose Hadoop connector (" + fsClass + ") is not on the class path. The SDK brings only the part of"
        + " Hadoop that local disks need: add " + (artifacts.isEmpty() ? "the jar that holds " + fsClass
            : String.join(" and ", artifacts)) + " to your dependencies (hadoop-common declared directly"
        + " brings back the Hadoop libraries the SDK leaves out).", scheme, artifacts, cause);
  }

  /** The connector is present but hadoop-common's trimmed libraries are not. */
  public static dev.mlops.core.StorageConnectorMissingException hadoopLibrariesMissing(URI root, String scheme,
      String fsClass, String missingClass, List<String> common, Throwable cause) {
    return new dev.mlops.core.StorageConnectorMissingException("The workspace " + root + " uses the scheme '" + scheme
        + "': its connector " + fsClass + " is on the class path, but the Hadoop libraries it runs on are not ("
        + missingClass + " is missing): the SDK trims hadoop-common's dependencies to what local disks need. Declare "
        + common.get(0) + " in your own dependencies so that they come back.", scheme, common, cause);
  }

  // ------------------------------------------------------------ LocalFileIO (Kernel's FileIO contract)

  /** Kernel's FileIO contract: a listing start in a missing directory. */
  public static java.io.FileNotFoundException noSuchDirectory(Path dir) {
    return new java.io.FileNotFoundException("No such directory: " + dir);
  }

  /** Kernel's FileIO contract: a missing file. */
  public static java.io.FileNotFoundException fileNotFound(Path p) {
    return new java.io.FileNotFoundException("File not found: " + p);
  }

  /** A positioned read past the end of a file. */
  public static java.io.EOFException endOfFileBeforeRead(int bytesLeft) {
    return new java.io.EOFException("Reached the end of the file with " + bytesLeft + " bytes still to read");
  }

  // ------------------------------------------------------------ DeltaStore (writer locks)

  /** Interrupted while waiting for this process's writer lock. */
  public static MlopsException interruptedWaitingToWrite(String location, InterruptedException e) {
    return new MlopsException("Interrupted while waiting to write " + location
        + ": nothing was written; write again if the interrupt was not meant to cancel it.", e);
  }

  /** The cross-process lock file could not be opened or locked. */
  public static StorageException cannotUseLockFile(Path lockFile, String location, IOException e) {
    return new StorageException("Cannot use lock file " + lockFile + " of " + location
        + ": check that the workspace's lock directory is writable.", e);
  }

  /** Interrupted while polling another process's writer lock. */
  public static java.io.InterruptedIOException interruptedWaitingForWriterLock() {
    return new java.io.InterruptedIOException("Interrupted while waiting for a table writer lock");
  }
}
