package dev.mlops.core.internal.delta;

import dev.mlops.core.CommitResult;
import dev.mlops.core.ConcurrentWriteException;
import dev.mlops.core.Frame;
import dev.mlops.core.MlopsException;
import dev.mlops.core.UnsupportedTableFeatureException;
import dev.mlops.core.internal.Errors;
import dev.mlops.core.internal.Pacing;
import dev.mlops.core.internal.Sdk;
import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.Transaction;
import io.delta.kernel.TransactionCommitResult;
import io.delta.kernel.data.Row;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.KernelException;
import io.delta.kernel.exceptions.MaxCommitRetryLimitReachedException;
import io.delta.kernel.hook.PostCommitHook;
import io.delta.kernel.transaction.UpdateTableTransactionBuilder;
import io.delta.kernel.utils.CloseableIterable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The optimistic commit of one table: under the table's writer lock, plan on a snapshot (see
 * {@link WritePlanner}), write the plan's data files, commit; when another writer committed first,
 * delete the files written and plan again on the latest snapshot.
 *
 * <p>The rules it keeps:
 * <ul>
 *   <li>Any commit that removes files or changes metadata is committed with Kernel's retries off, so
 *       a concurrent commit makes it fail instead of being silently rebased (Kernel's conflict checks
 *       only cover blind appends): that keeps primary keys unique under concurrent upserts.
 *   <li>The first attempt may plan on the caller's snapshot or this workspace's own last commit (no
 *       log load); a plan made on such a possibly stale snapshot that is refused, reads a missing
 *       file, or finds <em>nothing to do</em> is judged again on the latest snapshot before it is
 *       believed — another process may have written the rows a delete is about.
 *   <li>Files written for a commit that did not happen are deleted; nothing half-written is
 *       acknowledged.
 * </ul>
 */
final class CommitLoop {
  private static final Logger LOG = LoggerFactory.getLogger(CommitLoop.class);
  static final String ENGINE_PREFIX = "mlops-sdk/";
  private static final int MAX_ATTEMPTS = 64;

  private final TableOps table;
  private final TableFiles files;
  private final WritePlanner planner;
  private final DeltaStore store;
  private final Engine engine;
  private final String location;
  private final String display;

  CommitLoop(TableOps table, TableFiles files, WritePlanner planner) {
    this.table = table;
    this.files = files;
    this.planner = planner;
    this.store = table.store();
    this.engine = table.engine();
    this.location = table.location();
    this.display = table.display();
  }

  /**
   * Plans, writes and commits; re-plans on conflict.
   *
   * @param op the operation named in the commit and in messages
   * @param blindAppend true when the write only adds files (Kernel may then rebase it over others)
   * @param o the caller's options (snapshot to plan on, commit tags)
   * @param plan makes the plan on a snapshot; called again on a newer one after a conflict
   */
  CommitResult write(String op, boolean blindAppend, TableOps.Opts o, Function<Snapshot, WritePlan> plan) {
    return store.withWriteLock(location, () -> {
      RuntimeException last = null;
      for (int attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
        // First attempt: start from the caller's snapshot or this workspace's own last commit when
        // there is one (saves a log listing and replay per write); any later attempt loads the latest.
        Optional<Snapshot> given = attempt > 1 ? Optional.empty()
            : o.base() != null ? Optional.of(o.base()) : store.lastCommitted(location);
        boolean fresh = given.isEmpty();
        Snapshot s = given.orElseGet(table::latest);
        WritePlan p;
        try {
          planner.checkWritable(s, op);
          Pacing.point();
          p = plan.apply(s);
          Pacing.point();
        } catch (TableFiles.MissingDataFile m) {
          if (!fresh) {
            store.forget(location);
            continue;
          }
          throw LogCheck.missingDataFile(display, s.getVersion(), m.path, true, m.getCause());
        } catch (MlopsException e) {
          if (!fresh) {
            store.forget(location); // judged against a possibly stale snapshot: judge again on the latest
            continue;
          }
          throw e;
        }
        if (p.changesNothing()) {
          if (!fresh) {
            // "Nothing to do" on a possibly stale snapshot (another process may have written the rows
            // this delete is about): confirm it against the latest version.
            store.forget(location);
            continue;
          }
          return new CommitResult(s.getVersion(), op, 0, 0, 0, 0, 0, attempt);
        }
        List<String> written = new ArrayList<>();
        try {
          UpdateTableTransactionBuilder b = s.buildUpdateTableTransaction(
              engineInfo(op, p.inserted, p.updated, p.deleted) + tagText(o.tags()), Operation.WRITE);
          if (!blindAppend || p.changesMetadata()) {
            b = b.withMaxRetries(0);
          }
          if (p.newSchema != null) {
            b = b.withUpdatedSchema(p.newSchema);
          }
          if (p.newProperties != null) {
            b = b.withTablePropertiesAdded(p.newProperties);
          }
          // a paced write (the inference log's commits) may leave the CPU between Kernel's steps
          Pacing.point();
          Transaction txn = b.build(engine);
          Pacing.point();
          Row state = txn.getTransactionState(engine);
          List<Row> actions = new ArrayList<>();
          for (Row f : p.scanFilesToRemove) {
            actions.add(KernelInternals.removeAction(f));
          }
          int filesAdded = 0;
          if (p.data != null && p.data.rowCount() > 0) {
            filesAdded = files.writeData(s, state, p.data, actions, written);
          }
          Pacing.point();
          TransactionCommitResult r = txn.commit(engine, CloseableIterable.inMemoryIterable(Iters.of(actions)));
          Pacing.point();
          remember(r);
          runHooks(r);
          LOG.debug("{} on {} committed version {} (attempt {})", op, display, r.getVersion(), attempt);
          return new CommitResult(r.getVersion(), op, p.inserted, p.updated, p.deleted, filesAdded,
              p.scanFilesToRemove.size(), attempt);
        } catch (io.delta.kernel.exceptions.ConcurrentWriteException | MaxCommitRetryLimitReachedException e) {
          store.forget(location);
          files.deleteQuietly(written);
          last = e;
          backoff(attempt);
        } catch (io.delta.kernel.exceptions.UnsupportedTableFeatureException
            | io.delta.kernel.exceptions.UnsupportedProtocolVersionException e) {
          files.deleteQuietly(written);
          throw Errors.unsupportedFeatureOnCommit(op, display, TableOps.sentence(e.getMessage()), e);
        } catch (KernelException e) {
          files.deleteQuietly(written);
          throw Errors.commitFailed(op, display, TableOps.sentence(e.getMessage()), e);
        } catch (RuntimeException e) {
          store.forget(location);
          files.deleteQuietly(written);
          throw TableOps.unwrapped(e);
        }
      }
      throw Errors.tooManyConflicts(op, display, MAX_ATTEMPTS, last);
    });
  }

  /**
   * Appends every batch of a stream in one commit: batches are written to data files as they come
   * (memory holds one write chunk, not the stream), and the files are committed together at the end,
   * or deleted when anything fails, so the rows land whole or not at all. Kernel rebases the commit
   * over concurrent blind appends; a stream cannot be re-planned, so any other conflict fails it.
   */
  CommitResult appendAll(Iterator<Frame> batches, int chunkRows) {
    return store.withWriteLock(location, () -> {
      Snapshot s = table.latest();
      planner.checkWritable(s, "APPEND");
      List<String> written = new ArrayList<>();
      try {
        Transaction txn = s.buildUpdateTableTransaction(engineInfo("APPEND", 0, 0, 0), Operation.WRITE).build(engine);
        Row state = txn.getTransactionState(engine);
        List<Row> actions = new ArrayList<>();
        long inserted = 0;
        int filesAdded = 0;
        List<Frame> chunk = new ArrayList<>();
        int chunkSize = 0;
        while (true) {
          boolean more = batches.hasNext();
          if (more) {
            Frame f = batches.next();
            if (f.rowCount() > 0) {
              if (chunkSize > 0 && chunkSize + f.rowCount() > chunkRows) {
                // a batch that would overfill the chunk goes into the next one: batches of about the
                // chunk's size are written as they are, not copied into a concatenation of two
                Frame data = chunk.size() == 1 ? chunk.get(0) : Frame.concat(chunk);
                chunk.clear();
                chunkSize = 0;
                filesAdded += files.writeData(s, state, data, actions, written);
                inserted += data.rowCount();
              }
              chunk.add(planner.align(f, s.getSchema()));
              chunkSize += f.rowCount();
            }
          }
          if (chunkSize > 0 && (!more || chunkSize >= chunkRows)) {
            Frame data = chunk.size() == 1 ? chunk.get(0) : Frame.concat(chunk);
            chunk.clear();
            chunkSize = 0;
            filesAdded += files.writeData(s, state, data, actions, written);
            inserted += data.rowCount();
          }
          if (!more) {
            break;
          }
        }
        if (inserted == 0) {
          return new CommitResult(s.getVersion(), "APPEND", 0, 0, 0, 0, 0, 1);
        }
        TransactionCommitResult r = txn.commit(engine, CloseableIterable.inMemoryIterable(Iters.of(actions)));
        remember(r);
        runHooks(r);
        return new CommitResult(r.getVersion(), "APPEND", inserted, 0, 0, filesAdded, 0, 1);
      } catch (io.delta.kernel.exceptions.ConcurrentWriteException | MaxCommitRetryLimitReachedException e) {
        store.forget(location);
        files.deleteQuietly(written);
        throw Errors.appendConflict(display, TableOps.sentence(e.getMessage()), e);
      } catch (KernelException e) {
        files.deleteQuietly(written);
        throw Errors.appendFailed(display, TableOps.sentence(e.getMessage()), e);
      } catch (RuntimeException e) {
        store.forget(location);
        files.deleteQuietly(written);
        throw TableOps.unwrapped(e);
      }
    });
  }

  /** Keeps the snapshot a commit produced for the next write's first attempt (or forgets the table). */
  private void remember(TransactionCommitResult r) {
    r.getPostCommitSnapshot().ifPresentOrElse(snap -> store.rememberCommitted(location, snap),
        () -> store.forget(location));
  }

  /**
   * Waits a random, growing time (1 ms up to at most 200 ms) before the next attempt, so writers that
   * conflicted do not collide again in lock step. Interruptible: an interrupt ends the write, with
   * nothing committed.
   */
  private void backoff(int attempt) {
    long max = Math.min(200, 2L << Math.min(attempt, 7));
    try {
      Thread.sleep(ThreadLocalRandom.current().nextLong(1, max + 1));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw Errors.interruptedRetry(display, e);
    }
  }

  /** Runs post-commit hooks (checkpoints): their failure never fails the commit. */
  void runHooks(TransactionCommitResult r) {
    for (PostCommitHook h : r.getPostCommitHooks()) {
      if (h.getType() == PostCommitHook.PostCommitHookType.CHECKPOINT && r.getPostCommitSnapshot()
          .map(ps -> !WriteProtocol.mayCheckpoint(KernelInternals.tableFeatures(ps)))
          .orElseGet(() -> !WriteProtocol.mayCheckpoint(KernelInternals.tableFeatures(table.latest())))) {
        continue; // v2 checkpoints (or unknown protocol): leave checkpoints to the engine that owns the feature
      }
      try {
        Pacing.point();
        h.threadSafeInvoke(engine);
      } catch (IOException | RuntimeException e) {
        // A checkpoint another writer already wrote, or a failed one: the commit itself stands.
        LOG.debug("Post-commit hook {} on {} did not complete: {}", h.getType(), display, e.toString());
      }
    }
  }

  // ------------------------------------------------------------------ commit info

  /** The engineInfo of an SDK commit: SDK version, operation and row counts. */
  static String engineInfo(String op, long inserted, long updated, long deleted) {
    return ENGINE_PREFIX + Sdk.VERSION + " op=" + op.replace(' ', '_') + " inserted=" + inserted + " updated="
        + updated + " deleted=" + deleted;
  }

  /** Commit tags as engineInfo words: " tag.key=url-encoded-value". */
  static String tagText(Map<String, String> tags) {
    StringBuilder sb = new StringBuilder();
    tags.forEach((k, v) -> sb.append(" tag.").append(k).append('=')
        .append(java.net.URLEncoder.encode(v, java.nio.charset.StandardCharsets.UTF_8)));
    return sb.toString();
  }

  /** The tags of an SDK commit's engineInfo. */
  static Map<String, String> tags(String engineInfo) {
    Map<String, String> out = new LinkedHashMap<>();
    if (engineInfo == null || !engineInfo.contains(ENGINE_PREFIX)) {
      return out;
    }
    for (String part : engineInfo.split(" ")) {
      int eq = part.indexOf('=');
      if (part.startsWith("tag.") && eq > 4) {
        out.put(part.substring(4, eq), java.net.URLDecoder.decode(part.substring(eq + 1),
            java.nio.charset.StandardCharsets.UTF_8));
      }
    }
    return out;
  }
}
