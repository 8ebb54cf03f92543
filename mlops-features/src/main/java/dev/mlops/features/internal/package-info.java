/** Implementation of the feature store (joins, key indexes, the in-memory online store); not API. */
package dev.mlops.features.internal;
