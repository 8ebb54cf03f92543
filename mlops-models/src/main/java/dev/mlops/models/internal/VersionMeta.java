package dev.mlops.models.internal;

import java.util.Map;

/**
 * The stored form of a model version ({@code versions/<n>/version.json}). Written into the staging
 * directory before the directory is renamed to {@code versions/<n>}, so it exists from the moment the
 * version is visible; later changes replace it atomically under the model's lock.
 */
public record VersionMeta(String name, int version, String runId, String source, String description,
    Map<String, String> tags, String status, long createdAt, long updatedAt, String packageDigest,
    Map<String, Object> featureSpec, String flavor, String modelClass) {

  public VersionMeta with(String newDescription, Map<String, String> newTags, String newStatus) {
    return new VersionMeta(name, version, runId, source, newDescription, newTags, newStatus, createdAt,
        System.currentTimeMillis(), packageDigest, featureSpec, flavor, modelClass);
  }

  public VersionMeta numbered(int n) {
    return new VersionMeta(name, n, runId, source, description, tags, status, createdAt, updatedAt,
        packageDigest, featureSpec, flavor, modelClass);
  }
}
