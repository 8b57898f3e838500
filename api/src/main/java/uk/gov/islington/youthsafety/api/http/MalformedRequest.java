package uk.gov.islington.youthsafety.api.http;

import io.netty.handler.codec.TooLongFrameException;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpServerRequest;

/**
 * Answers a request the HTTP decoder could not read (a request line over 4 KiB, headers over the
 * server's limit, a broken request line) with a problem like every other error, where Vert.x's
 * default would send a bare status. It never reaches the router, so there is no route, no access
 * log line and nothing of the request echoed back; the connection closes after the answer, since
 * what follows on it cannot be trusted.
 */
public final class MalformedRequest implements Handler<HttpServerRequest> {

  @Override
  public void handle(HttpServerRequest request) {
    Problem problem = problemFor(request.decoderResult().cause());
    request.response().putHeader("Connection", "close").putHeader("X-Content-Type-Options", "nosniff");
    problem.send(request.response()).onComplete(done -> request.connection().close());
  }

  static Problem problemFor(Throwable cause) {
    if (cause instanceof TooLongFrameException tooLong) {
      // Netty's HttpObjectDecoder words these two limits so; nothing else tells them apart
      String message = String.valueOf(tooLong.getMessage());
      if (message.startsWith("An HTTP line is larger than")) {
        return Problem.of(414, "uri-too-long", "Request line too long",
            "The request line (method, path and query) must be at most 4096 bytes.");
      }
      if (message.startsWith("HTTP header is larger than")) {
        return Problem.of(431, "headers-too-large", "Request headers too large",
            "The request headers must be at most 16384 bytes in all.");
      }
    }
    return Problem.of(400, "malformed-request", "Malformed request", "The request is not valid HTTP/1.1.");
  }
}
