package uk.gov.islington.youthsafety.api.http;

import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers a request the HTTP decoder could not read (a request line or headers over the server's
 * limits, broken framing) with a problem like every other error, where Vert.x's default would send
 * a bare status. It never reaches the router, so there is no route, no access log line and nothing
 * of the request echoed back; the connection closes after the answer, since what follows on it
 * cannot be trusted.
 */
public final class MalformedRequest implements Handler<HttpServerRequest> {

  /** The HTTP server's limits (ApiVerticle), which the answers name. */
  public static final int MAX_REQUEST_LINE_BYTES = 4096;

  public static final int MAX_HEADER_BYTES = 16 * 1024;

  @Override
  public void handle(HttpServerRequest request) {
    Problem problem = problemFor(request.decoderResult().cause());
    request
        .response()
        .putHeader("Connection", "close")
        .putHeader("X-Content-Type-Options", "nosniff");
    problem.send(request.response()).onComplete(done -> request.connection().close());
  }

  static Problem problemFor(Throwable cause) {
    if (cause instanceof TooLongFrameException tooLong) {
      // Netty's HttpObjectDecoder words these two limits so; nothing else tells them apart
      String message = String.valueOf(tooLong.getMessage());
      if (message.startsWith("An HTTP line is larger than")) {
        return Problem.of(
            414,
            "uri-too-long",
            "Request line too long",
            "The request line (method, path and query) must be at most "
                + MAX_REQUEST_LINE_BYTES
                + " bytes.");
      }
      if (message.startsWith("HTTP header is larger than")) {
        return Problem.of(
            431,
            "headers-too-large",
            "Request headers too large",
            "The request headers must be at most " + MAX_HEADER_BYTES + " bytes in all.");
      }
    }
    return Problem.of(
        400, "malformed-request", "Malformed request", "The request is not valid HTTP/1.1.");
  }
}
