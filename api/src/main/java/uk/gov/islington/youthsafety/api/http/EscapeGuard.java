package uk.gov.islington.youthsafety.api.http;

import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.PlatformHandler;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import uk.gov.islington.youthsafety.content.common.InvalidInput.FieldError;

/**
 * Answers 400, naming the query parameter (or "path"), for an address with a broken %-escape
 * ("%ZZ", a lone "%"), before anything decodes it: Vert.x's decoders throw on those, which reached
 * the error handler as an unexplained 500.
 */
final class EscapeGuard implements PlatformHandler {

  private static final String MESSAGE = "has a broken %-escape: write % as %25";

  @Override
  public void handle(RoutingContext ctx) {
    String uri = ctx.request().uri();
    if (wellEscaped(uri)) {
      // nearly every request: nothing to split or name
      ctx.next();
      return;
    }
    int q = uri.indexOf('?');
    String path = q < 0 ? uri : uri.substring(0, q);
    String field = wellEscaped(path) ? null : "path";
    if (field == null && q >= 0) {
      for (String pair : uri.substring(q + 1).split("&")) {
        if (!wellEscaped(pair)) {
          String name = pair.split("=", 2)[0];
          field = wellEscaped(name) ? URLDecoder.decode(name, StandardCharsets.UTF_8) : "query";
          break;
        }
      }
    }
    if (field == null) {
      ctx.next();
    } else {
      ctx.fail(new ProblemException(Problem.validation(List.of(new FieldError(field, MESSAGE)))));
    }
  }

  static boolean wellEscaped(String s) {
    for (int i = s.indexOf('%'); i >= 0; i = s.indexOf('%', i + 1)) {
      if (i + 2 >= s.length()
          || Character.digit(s.charAt(i + 1), 16) < 0
          || Character.digit(s.charAt(i + 2), 16) < 0) {
        return false;
      }
    }
    return true;
  }
}
