/**
 * The feature store: feature tables with primary keys and timestamp keys on Delta Lake, point-in-time
 * training sets ({@link dev.mlops.features.TrainingSet}, {@link dev.mlops.features.FeatureSpec}), on-demand
 * features, discovery, lineage and the online store. Start with {@code FeatureStore.of(workspace)}.
 */
package dev.mlops.features;
