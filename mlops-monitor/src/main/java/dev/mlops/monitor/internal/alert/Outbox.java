package dev.mlops.monitor.internal.alert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.internal.FileStore;
import dev.mlops.core.internal.Json;
import dev.mlops.monitor.AlertDestination;
import dev.mlops.monitor.AlertEvent;
import dev.mlops.monitor.AlertState;
import dev.mlops.monitor.internal.Errors;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Notifications waiting for delivery, one file each in {@code alerts/.outbox/}. An entry is written
 * under the alert's lock before the state that caused it; it is delivered only once that state is
 * committed (its sequence number is at most the alert's notification count), and deleted only after
 * the destination accepted it: at least once, with a delivery id receivers deduplicate on.
 */
public final class Outbox {
  public static final int FORMAT = 1;
  private static final Logger LOG = LoggerFactory.getLogger("dev.mlops.monitor.Alerts");

  /**
   * One pending delivery.
   *
   * @param formatVersion file format
   * @param deliveryId id sent to the receiver
   * @param alert the alert
   * @param seq the alert's notification number that created it
   * @param destination the destination as JSON
   * @param event the event (callbacks and the log)
   * @param body the webhook body
   * @param attempts failed attempts so far
   * @param nextAttemptAt earliest next attempt
   * @param lastError the last failure
   * @param createdAt when it was queued
   */
  public record Entry(int formatVersion, String deliveryId, String alert, long seq, JsonNode destination,
      AlertEvent event, String body, int attempts, Instant nextAttemptAt, String lastError, Instant createdAt) {}

  /** Backoff between attempts: initial × 2^(attempts−1), at most max. */
  public record Retry(Duration initial, Duration max) {
    Duration after(int attempts) {
      long ms = initial.toMillis();
      for (int i = 1; i < attempts && ms < max.toMillis(); i++) {
        ms *= 2;
      }
      return Duration.ofMillis(Math.min(ms, max.toMillis()));
    }
  }

  /**
   * HTTP clients, created on the first webhook delivery (an HttpClient starts a selector thread, so
   * none is made for alerts without webhooks), one per connect timeout.
   */
  public static final class Http {
    private final Map<Duration, HttpClient> clients = new java.util.concurrent.ConcurrentHashMap<>();

    HttpClient client(Duration connectTimeout) {
      return clients.computeIfAbsent(connectTimeout, t -> HttpClient.newBuilder().connectTimeout(t).build());
    }
  }

  private final AlertStore store;
  private final Http http;

  public Outbox(AlertStore store, Http http) {
    this.store = store;
    this.http = http;
  }

  private static String file(String id) {
    return FileStore.join(AlertStore.OUTBOX, id + ".json");
  }

  private FileStore files() {
    return store.files();
  }

  private void deleteQuietly(String id) {
    try {
      files().delete(file(id));
    } catch (RuntimeException e) {
      LOG.debug("Cannot delete delivered entry {}: {}", id, e.toString()); // delivered again: ids deduplicate
    }
  }

  /** Queues an entry; false when an entry with that id is already queued. */
  public boolean add(Entry e) {
    files().mkdirs(AlertStore.OUTBOX);
    return files().createIfAbsent(file(e.deliveryId()), Json.write(e).getBytes(StandardCharsets.UTF_8));
  }

  /** Deletes the entries of an alert with a sequence number above {@code committedSeq} (never committed). */
  public void dropUncommitted(String alert, long committedSeq) {
    for (Entry e : entries()) {
      if (e.alert().equals(alert) && e.seq() > committedSeq) {
        deleteQuietly(e.deliveryId());
      }
    }
  }

  /** The queued entries, oldest first. */
  public List<Entry> entries() {
    List<Entry> out = new ArrayList<>();
    for (String n : files().list(AlertStore.OUTBOX)) { // temp files start with '.' and are not listed
      if (!n.endsWith(".json")) {
        continue;
      }
      String rel = FileStore.join(AlertStore.OUTBOX, n);
      Optional<byte[]> bytes = files().read(rel); // empty: delivered meanwhile
      if (bytes.isPresent()) {
        try {
          out.add(Json.MAPPER.readValue(bytes.get(), Entry.class));
        } catch (IOException e) {
          throw Errors.readAlertOutbox(files().uri(rel), e.getMessage(), e);
        }
      }
    }
    out.sort(Comparator.comparing(Entry::createdAt).thenComparing(Entry::deliveryId));
    return out;
  }

  /**
   * Delivers the due entries whose state is committed.
   *
   * @return the number delivered
   */
  public int deliver(Map<String, Consumer<AlertEvent>> callbacks, Retry retry, Instant now) {
    return store.withOutboxLock(() -> {
      int delivered = 0;
      for (Entry e : entries()) {
        if (e.nextAttemptAt().isAfter(now)) {
          continue;
        }
        boolean alertExists = store.read(e.alert()).isPresent();
        if (alertExists && store.status(e.alert()).notifications() < e.seq()) {
          continue; // not committed (yet): the evaluation holding the alert's lock decides
        }
        Optional<String> error = send(e, callbacks);
        if (error.isEmpty()) {
          deleteQuietly(e.deliveryId());
          delivered++;
        } else {
          int attempts = e.attempts() + 1;
          Entry next = new Entry(e.formatVersion(), e.deliveryId(), e.alert(), e.seq(), e.destination(), e.event(),
              e.body(), attempts, now.plus(retry.after(attempts)), error.get(), e.createdAt());
          files().write(file(e.deliveryId()), Json.write(next).getBytes(StandardCharsets.UTF_8));
          LOG.debug("Delivery {} failed (attempt {}): {}", e.deliveryId(), attempts, error.get());
        }
      }
      return delivered;
    });
  }

  private Optional<String> send(Entry e, Map<String, Consumer<AlertEvent>> callbacks) {
    AlertDestination d = AlertJson.destination(e.destination());
    try {
      if (d instanceof AlertDestination.Log) {
        if (e.event().state() == AlertState.TRIGGERED) {
          LOG.warn("{} [delivery {}]", e.event().summary(), e.deliveryId());
        } else {
          LOG.info("{} [delivery {}]", e.event().summary(), e.deliveryId());
        }
        return Optional.empty();
      } else if (d instanceof AlertDestination.Callback c) {
        Consumer<AlertEvent> fn = callbacks.get(c.name());
        if (fn == null) {
          return Optional.of("no callback named '" + c.name() + "' is registered in this process (Alerts.withCallback)");
        }
        fn.accept(e.event());
        return Optional.empty();
      } else if (d instanceof AlertDestination.Webhook w) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(w.url().toString())).timeout(w.requestTimeout())
            .header("Content-Type", "application/json; charset=utf-8").header("X-Mlops-Delivery-Id", e.deliveryId())
            .POST(HttpRequest.BodyPublishers.ofString(e.body(), StandardCharsets.UTF_8));
        if (w.username().isPresent()) {
          String token = w.username().get() + ":" + w.password().orElse("");
          b.header("Authorization", "Basic " + Base64.getEncoder().encodeToString(token.getBytes(StandardCharsets.UTF_8)));
        }
        HttpResponse<String> r = http.client(w.connectTimeout()).send(b.build(), HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() / 100 == 2) {
          return Optional.empty();
        }
        return Optional.of("HTTP " + r.statusCode() + " from " + w.url());
      }
      return Optional.of("unknown destination " + d);
    } catch (InterruptedException ie) {
      Thread.currentThread().interrupt();
      return Optional.of("interrupted");
    } catch (IOException | RuntimeException ex) {
      return Optional.of(ex.toString());
    }
  }
}
