package dev.mlops.serving.internal;

import dev.mlops.core.Field;
import dev.mlops.core.Frame;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * One request as the inference table records it, plus the scored rows for the predictions table.
 *
 * @param requestId the server's id ({@code databricks_request_id})
 * @param clientRequestId the client's id, or null
 * @param requestTime when the request arrived
 * @param statusCode the HTTP status answered
 * @param executionMillis time from the body read to the answer
 * @param request the body (UTF-8, as received: the log stores it as text), or null (over the cap, or not read)
 * @param response the answer body (UTF-8), or null (over the cap)
 * @param errorCodes MAX_REQUEST_SIZE_EXCEEDED / MAX_RESPONSE_SIZE_EXCEEDED / REQUEST_NOT_READ
 * @param servedEntityId {@code name-version} of the version that answered, or null
 * @param requester the client's address
 * @param modelName the model, or null when the request never reached one
 * @param modelVersion its version, or null
 * @param scored the scored rows (200 only), or null
 * @param outputs the model's output columns
 */
public record InferenceRecord(String requestId, String clientRequestId, Instant requestTime, int statusCode,
    long executionMillis, byte[] request, byte[] response, List<String> errorCodes, String servedEntityId,
    String requester, String modelName, String modelVersion, Frame scored, List<Field> outputs) {

  /** The request body was over a cap (the log's payload cap, or the server's body cap: 413). */
  public static final String MAX_REQUEST_SIZE_EXCEEDED = "MAX_REQUEST_SIZE_EXCEEDED";
  /** The response body was over the log's payload cap. */
  public static final String MAX_RESPONSE_SIZE_EXCEEDED = "MAX_RESPONSE_SIZE_EXCEEDED";
  /** The request was refused before its body was read (401, 405, 415, framing, 503): it is not known. */
  public static final String REQUEST_NOT_READ = "REQUEST_NOT_READ";

  /** Starts a record. */
  public static Builder builder(String requestId, Instant requestTime, String requester) {
    return new Builder(requestId, requestTime, requester);
  }

  /** Collects a record while a request is handled. */
  public static final class Builder {
    private final String requestId;
    private final Instant requestTime;
    private final String requester;
    private String clientRequestId;
    private String modelName;
    private String modelVersion;
    private String served;
    private Frame scored;
    private List<Field> outputs = List.of();
    private int status;
    private long millis;
    private byte[] request;
    private byte[] response;
    private String requestCode;

    Builder(String requestId, Instant requestTime, String requester) {
      this.requestId = requestId;
      this.requestTime = requestTime;
      this.requester = requester;
    }

    /** The client's id. */
    public Builder clientRequestId(String id) {
      this.clientRequestId = id;
      return this;
    }

    /**
     * The version the request went to; pass strings made once per served version: the log's batch keeps
     * them for every row, and a string made per request would be a young object that every row of the
     * batch (an old array) points to, which each young collection then scans.
     */
    public Builder model(String name, String version, String servedName) {
      this.modelName = name;
      this.modelVersion = version;
      this.served = servedName;
      return this;
    }

    /** The scored rows. */
    public Builder scored(Frame rows, List<Field> outs) {
      this.scored = rows;
      this.outputs = List.copyOf(outs);
      return this;
    }

    /**
     * Marks the request body as not logged for a reason ({@link #REQUEST_NOT_READ} or
     * {@link #MAX_REQUEST_SIZE_EXCEEDED}): the {@code request} column is NULL with that code.
     */
    public Builder requestNotLogged(String code) {
      this.requestCode = code;
      return this;
    }

    /** Status, duration and bodies. */
    public Builder finish(int statusCode, long executionMillis, byte[] requestBody, byte[] responseBody) {
      this.status = statusCode;
      this.millis = executionMillis;
      this.request = requestBody;
      this.response = responseBody;
      return this;
    }

    /** The record, with bodies over {@code maxPayload} bytes logged as null and an error code each. */
    public InferenceRecord build(int maxPayload) {
      List<String> codes = new ArrayList<>();
      byte[] req = null;
      if (requestCode != null) {
        codes.add(requestCode);
      } else if (request != null) {
        if (request.length > maxPayload) {
          codes.add(MAX_REQUEST_SIZE_EXCEEDED);
        } else {
          req = request; // not decoded here: the log's batch keeps the bytes (Utf8Values)
        }
      }
      byte[] resp = null;
      if (response != null) {
        if (response.length > maxPayload) {
          codes.add(MAX_RESPONSE_SIZE_EXCEEDED);
        } else {
          resp = response;
        }
      }
      return new InferenceRecord(requestId, clientRequestId, requestTime, status, millis, req, resp, List.copyOf(codes),
          served, requester, modelName, modelVersion, status == 200 ? scored : null, outputs);
    }
  }
}
