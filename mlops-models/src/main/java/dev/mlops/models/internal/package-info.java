/**
 * Implementation of tracking and the registry: storage layout, locks, the run search index and its
 * filter language, checksums and allow-listed deserialization. Not API: may change without notice.
 */
package dev.mlops.models.internal;
