package dev.mlops.monitor;

import dev.mlops.monitor.internal.Errors;
import java.net.URI;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * Where an alert's notifications go. Every notification goes through the workspace's outbox first,
 * so a destination that fails gets it later (retries with backoff, also after a restart).
 *
 * <pre>{@code
 * AlertDestination.webhook(URI.create("http://127.0.0.1:8080/hook"));
 * AlertDestination.callback("pager");     // a Java function registered with Alerts.withCallback
 * AlertDestination.log();
 * }</pre>
 */
public sealed interface AlertDestination permits AlertDestination.Callback, AlertDestination.Log,
    AlertDestination.Webhook {

  /**
   * A Java function of the application, registered by name with {@link Alerts#withCallback}. A
   * notification for a name no {@code Alerts} of this process knows stays in the outbox until one does.
   *
   * @param name the callback's name
   */
  record Callback(String name) implements AlertDestination {
    /** Checks the name. */
    public Callback {
      Objects.requireNonNull(name, "name");
      if (name.isBlank()) {
        throw Errors.callbackNeedsName();
      }
    }
  }

  /** The SLF4J logger {@code dev.mlops.monitor.Alerts} at WARN (TRIGGERED) or INFO (other states). */
  record Log() implements AlertDestination {}

  /**
   * An HTTP webhook: a JSON POST in the shape of Databricks' alert webhook payload.
   *
   * @param url an http or https URL
   * @param username basic-auth user, if any
   * @param password basic-auth password, if any (stored in the alert's JSON in the workspace)
   * @param connectTimeout connect timeout
   * @param requestTimeout timeout of the whole request
   */
  record Webhook(URI url, Optional<String> username, Optional<String> password, Duration connectTimeout,
      Duration requestTimeout) implements AlertDestination {
    /** Checks the URL's scheme and the timeouts. */
    public Webhook {
      Objects.requireNonNull(url, "url");
      String scheme = url.getScheme() == null ? "" : url.getScheme().toLowerCase(Locale.ROOT);
      if (!scheme.equals("http") && !scheme.equals("https") || url.getHost() == null) {
        throw Errors.webhookUrlHttpS(url);
      }
      username = username == null ? Optional.empty() : username;
      password = password == null ? Optional.empty() : password;
      Objects.requireNonNull(connectTimeout, "connectTimeout");
      Objects.requireNonNull(requestTimeout, "requestTimeout");
      if (connectTimeout.isNegative() || connectTimeout.isZero() || requestTimeout.isNegative()
          || requestTimeout.isZero()) {
        throw Errors.webhookTimeoutsPositiveGot(connectTimeout, requestTimeout);
      }
    }

    /** The same webhook with basic auth. */
    public Webhook basicAuth(String user, String pass) {
      return new Webhook(url, Optional.of(user), Optional.of(pass), connectTimeout, requestTimeout);
    }

    /** The same webhook with other timeouts. */
    public Webhook timeouts(Duration connect, Duration request) {
      return new Webhook(url, username, password, connect, request);
    }

    @Override
    public String toString() {
      return "Webhook[" + url + (username.isPresent() ? ", basic auth" : "") + "]";
    }
  }

  /** A registered Java callback. */
  static AlertDestination callback(String name) {
    return new Callback(name);
  }

  /** The log. */
  static AlertDestination log() {
    return new Log();
  }

  /** A webhook with 5 s connect and 10 s request timeouts. */
  static Webhook webhook(URI url) {
    return new Webhook(url, Optional.empty(), Optional.empty(), Duration.ofSeconds(5), Duration.ofSeconds(10));
  }
}
