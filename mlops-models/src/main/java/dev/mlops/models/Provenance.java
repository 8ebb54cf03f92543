package dev.mlops.models;

import dev.mlops.models.internal.SystemInfo;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a run or a model came from: SDK, JVM and OS versions, user, host, main class and the git
 * state of the working directory (when it is inside a git work tree). Recorded automatically on every
 * run as {@code mlops.*} tags, so they can be searched, e.g.
 * {@code tags.mlops.source.git.commit = '3f2a…'}.
 *
 * <pre>{@code
 * Provenance p = tracking.getRun(runId).provenance();
 * p.gitCommit().orElse("not in git");
 * }</pre>
 *
 * @param sdkVersion version of this SDK
 * @param javaVersion {@code java.version}
 * @param javaVendor {@code java.vendor}
 * @param osName {@code os.name}
 * @param osVersion {@code os.version}
 * @param osArch {@code os.arch}
 * @param user {@code user.name} (empty for model packages)
 * @param host host name (empty for model packages)
 * @param mainClass the JVM's main class or jar, when known
 * @param gitCommit HEAD commit, when in a git work tree
 * @param gitBranch current branch, when HEAD is on a branch
 * @param gitRemote URL of the 'origin' remote (or the first remote)
 * @param gitDirty whether tracked files had uncommitted changes (needs the git command)
 */
public record Provenance(String sdkVersion, String javaVersion, String javaVendor, String osName,
    String osVersion, String osArch, String user, String host, Optional<String> mainClass,
    Optional<String> gitCommit, Optional<String> gitBranch, Optional<String> gitRemote,
    Optional<Boolean> gitDirty) {

  /** Validates that no component is null. */
  public Provenance {
    Objects.requireNonNull(sdkVersion, "sdkVersion");
    Objects.requireNonNull(javaVersion, "javaVersion");
    Objects.requireNonNull(javaVendor, "javaVendor");
    Objects.requireNonNull(osName, "osName");
    Objects.requireNonNull(osVersion, "osVersion");
    Objects.requireNonNull(osArch, "osArch");
    Objects.requireNonNull(user, "user");
    Objects.requireNonNull(host, "host");
    Objects.requireNonNull(mainClass, "mainClass");
    Objects.requireNonNull(gitCommit, "gitCommit");
    Objects.requireNonNull(gitBranch, "gitBranch");
    Objects.requireNonNull(gitRemote, "gitRemote");
    Objects.requireNonNull(gitDirty, "gitDirty");
  }

  /** Provenance read back from {@code mlops.*} tags (missing tags give empty values). */
  public static Provenance fromTags(Map<String, String> tags) {
    return new Provenance(tags.getOrDefault(SystemInfo.SDK_VERSION, ""),
        tags.getOrDefault(SystemInfo.JAVA_VERSION, ""), tags.getOrDefault(SystemInfo.JAVA_VENDOR, ""),
        tags.getOrDefault(SystemInfo.OS_NAME, ""), tags.getOrDefault(SystemInfo.OS_VERSION, ""),
        tags.getOrDefault(SystemInfo.OS_ARCH, ""), tags.getOrDefault(SystemInfo.USER, ""),
        tags.getOrDefault(SystemInfo.HOST, ""), Optional.ofNullable(tags.get(SystemInfo.MAIN_CLASS)),
        Optional.ofNullable(tags.get(SystemInfo.GIT_COMMIT)), Optional.ofNullable(tags.get(SystemInfo.GIT_BRANCH)),
        Optional.ofNullable(tags.get(SystemInfo.GIT_REMOTE)),
        Optional.ofNullable(tags.get(SystemInfo.GIT_DIRTY)).map(Boolean::parseBoolean));
  }

  /** The provenance of the current JVM (git state included). */
  public static Provenance current() {
    return fromTags(SystemInfo.runTags());
  }
}
