/**
 * The SDK's foundation: {@link dev.mlops.core.Workspace} (the root of everything), three-level names, {@link dev.mlops.core.Frame} (the columnar exchange type) and Delta Lake tables ({@link dev.mlops.core.DeltaTable}). Start with {@code Workspace.open(Path.of("lakehouse"))}.
 */
package dev.mlops.core;
