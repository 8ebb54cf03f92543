/**
 * Implementation details of mlops-core; not API, may change in any release.
 */
package dev.mlops.core.internal;
