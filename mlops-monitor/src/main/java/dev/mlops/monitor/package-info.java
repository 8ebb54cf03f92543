/**
 * Monitoring: profiles, drift statistics, model quality, alerts and reports. Nothing is built here yet;
 * the module exists so the dependency layout is in place.
 */
package dev.mlops.monitor;
