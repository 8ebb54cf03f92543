package dev.mlops.core;

import dev.mlops.core.internal.Errors;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A three-level name {@code catalog.schema.name}, as in Unity Catalog. Each part is 1 to 255
 * letters, digits or underscores; names are case-insensitive and kept in lower case. The rule keeps
 * every name inside the workspace root: no {@code ..}, no {@code /}, no empty part.
 *
 * <pre>{@code
 * TableName t = TableName.parse("main.crm.customer_features");
 * t.catalog();  // "main"
 * }</pre>
 *
 * @param catalog first level
 * @param schema second level
 * @param name third level
 */
public record TableName(String catalog, String schema, String name) {
  // Checked before lower-casing: some non-ASCII letters (the Kelvin sign) lower-case to ASCII ones.
  private static final Pattern PART = Pattern.compile("[A-Za-z0-9_]+");
  private static final int MAX_PART = 255;

  /** Validates and lower-cases each part. */
  public TableName {
    catalog = checkPart(catalog, "catalog", catalog, schema, name);
    schema = checkPart(schema, "schema", catalog, schema, name);
    name = checkPart(name, "name", catalog, schema, name);
  }

  /**
   * Parses {@code catalog.schema.name}.
   *
   * @throws InvalidNameException saying which rule the text broke
   */
  public static TableName parse(String text) {
    if (text == null) {
      throw Errors.tableNameNullCatalog();
    }
    String[] parts = text.split("\\.", -1);
    if (parts.length != 3) {
      throw Errors.threeLevelNamePartS(text, parts.length);
    }
    return new TableName(parts[0], parts[1], parts[2]);
  }

  /**
   * Checks one part of any three-level name (also used for schema and catalog names alone).
   *
   * @param part the text of the part
   * @param level what the part is ("catalog", "schema", "name"), for the message
   * @param full the three parts of the whole name, for the message (may be omitted)
   * @return the part in lower case
   * @throws InvalidNameException saying which rule the part broke
   */
  public static String checkPart(String part, String level, Object... full) {
    String shown = full.length == 3 ? full[0] + "." + full[1] + "." + full[2] : String.valueOf(part);
    if (part == null || part.isEmpty()) {
      throw Errors.partEmptyPartCatalog(level, shown);
    }
    if (part.length() > MAX_PART) {
      throw Errors.partNameCharactersLimit(level, part.substring(0, 40), part.length(), MAX_PART);
    }
    if (!PART.matcher(part).matches()) {
      throw Errors.partAllowedAsciiLetters(level, part, shown);
    }
    return part.toLowerCase(Locale.ROOT);
  }

  @Override
  public String toString() {
    return catalog + "." + schema + "." + name;
  }
}
