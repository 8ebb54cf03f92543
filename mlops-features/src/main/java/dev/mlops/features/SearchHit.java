package dev.mlops.features;

import java.util.Optional;

/**
 * One result of {@link FeatureStore#search(String)}: a table, or a feature of it, and where the text matched.
 *
 * @param table the feature table's name
 * @param feature the feature column that matched, when the match is on a feature
 * @param matchedIn "name", "description", "tag" or "feature"
 * @param text the text that matched
 */
public record SearchHit(String table, Optional<String> feature, String matchedIn, String text) {}
