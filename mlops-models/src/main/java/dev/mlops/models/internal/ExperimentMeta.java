package dev.mlops.models.internal;

import java.util.Map;

/** The stored form of an experiment ({@code experiments/<name>/meta.json}). */
public record ExperimentMeta(String id, String name, long createdAt, Map<String, String> tags) {}
