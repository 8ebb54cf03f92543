package dev.mlops.models.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * The process that owns something on disk (a run): host, boot id and pid namespace (Linux; null
 * elsewhere), pid and process start time. Another process judges whether the owner is gone only when it
 * runs on the same machine, in the same boot and pid namespace; then a missing pid, or a pid whose start
 * time differs (the pid was reused), means the owner is gone. Anything else is {@link Liveness#UNKNOWN}.
 *
 * @param host host name
 * @param bootId Linux boot id, or null
 * @param pidNamespace Linux pid namespace (e.g. {@code pid:[4026531836]}), or null
 * @param pid process id
 * @param startMillis process start time (epoch millis), or null when the platform does not tell
 */
public record ProcessRef(String host, String bootId, String pidNamespace, long pid, Long startMillis) {

  /** What can be said about an owner process from here. */
  public enum Liveness {
    /** It is running. */
    ALIVE,
    /** It has ended (or its machine restarted). */
    GONE,
    /** It runs elsewhere, or the record is too old to tell. */
    UNKNOWN
  }

  private static volatile ProcessRef current;

  /** This process. */
  public static ProcessRef current() {
    ProcessRef c = current;
    if (c == null) {
      ProcessHandle self = ProcessHandle.current();
      c = new ProcessRef(SystemInfo.host(), read(Path.of("/proc/sys/kernel/random/boot_id")),
          link(Path.of("/proc/self/ns/pid")), self.pid(), startMillis(self).orElse(null));
      current = c;
    }
    return c;
  }

  /** Whether the process this record names is still running, as far as this process can tell. */
  public Liveness liveness() {
    ProcessRef me = current();
    if (host == null || host.isBlank() || host.equals("localhost") || !host.equals(me.host)) {
      return Liveness.UNKNOWN; // another machine (or a name shared by many)
    }
    if (!Objects.equals(pidNamespace, me.pidNamespace)) {
      return Liveness.UNKNOWN; // another container on this machine
    }
    if (bootId != null && me.bootId != null && !bootId.equals(me.bootId)) {
      return Liveness.GONE; // the machine restarted since
    }
    if (!Objects.equals(bootId, me.bootId)) {
      return Liveness.UNKNOWN;
    }
    Optional<ProcessHandle> h = ProcessHandle.of(pid);
    if (h.isEmpty() || !h.get().isAlive()) {
      return Liveness.GONE;
    }
    if (startMillis != null) {
      Optional<Long> started = startMillis(h.get());
      if (started.isPresent() && Math.abs(started.get() - startMillis) > 2_000) {
        return Liveness.GONE; // the pid now belongs to another process
      }
    }
    return Liveness.ALIVE;
  }

  /** A short description for messages. */
  public String describe() {
    return "pid " + pid + " on host " + host + (startMillis == null ? "" : ", started "
        + Instant.ofEpochMilli(startMillis));
  }

  private static Optional<Long> startMillis(ProcessHandle h) {
    return h.info().startInstant().map(Instant::toEpochMilli);
  }

  private static String read(Path p) {
    try {
      return Files.readString(p, StandardCharsets.UTF_8).trim();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }

  private static String link(Path p) {
    try {
      return Files.readSymbolicLink(p).toString();
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
