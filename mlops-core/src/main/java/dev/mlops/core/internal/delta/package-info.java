/**
 * The Delta table engine on Delta Kernel: file I/O, batch conversion, operations. Kernel internals are used only in {@code KernelInternals}.
 */
package dev.mlops.core.internal.delta;
