package dev.mlops.models.internal;

import java.util.Map;

/** The stored form of a registered model ({@code model.json}). */
public record ModelMeta(String name, String description, Map<String, String> tags, long createdAt, long updatedAt) {}
