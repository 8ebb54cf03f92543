/**
 * Runnable, tested programs: {@link dev.mlops.samples.EndToEnd} is the main job.
 */
package dev.mlops.samples;
