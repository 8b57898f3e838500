package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.contract.SecurityRequirement;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import uk.gov.islington.youthsafety.api.auth.Principal;
import uk.gov.islington.youthsafety.api.auth.Tokens;

/**
 * Authentication and role checks for one operation, read from the contract: {@code security} says
 * whether a token is required, optional ({@code {}} among the requirements) or not looked at
 * (public), and {@code x-roles} lists who may call. Default deny: a secured operation without
 * {@code x-roles} admits nobody. On an optional operation a valid token whose roles are not listed
 * is treated as no token (the public answer), while an invalid token is still a 401. Public
 * operations never parse a token, so none is ever recorded.
 */
final class OperationAuth implements Handler<RoutingContext> {

  enum Mode {
    PUBLIC,
    OPTIONAL,
    REQUIRED
  }

  private final Mode mode;
  private final Set<String> roles;
  private final Tokens tokens;

  OperationAuth(Operation operation, Tokens tokens) {
    this.tokens = tokens;
    this.mode = modeOf(operation);
    this.roles = rolesOf(operation);
  }

  static Mode modeOf(Operation operation) {
    List<SecurityRequirement> reqs = operation.getSecurityRequirements();
    if (reqs == null || reqs.isEmpty()) {
      return Mode.PUBLIC;
    }
    return reqs.stream().anyMatch(SecurityRequirement::isEmpty) ? Mode.OPTIONAL : Mode.REQUIRED;
  }

  static Set<String> rolesOf(Operation operation) {
    Object declared = operation.getExtensions().get("x-roles");
    if (declared instanceof Iterable<?> it) {
      Set<String> out = new java.util.LinkedHashSet<>();
      it.forEach(r -> out.add(String.valueOf(r)));
      return Set.copyOf(out);
    }
    return Set.of();
  }

  Mode mode() {
    return mode;
  }

  @Override
  public void handle(RoutingContext ctx) {
    if (mode == Mode.PUBLIC) {
      ctx.next();
      return;
    }
    String header = ctx.request().getHeader("Authorization");
    if (header == null && mode == Mode.OPTIONAL) {
      ctx.next();
      return;
    }
    ctx.response().putHeader("Cache-Control", "no-store");
    if (header == null
        || !header.regionMatches(true, 0, "Bearer ", 0, 7)
        || header.length() > 8192) {
      ctx.fail(ProblemException.status(401));
      return;
    }
    Principal principal;
    try {
      principal = tokens.verify(header.substring(7).trim());
    } catch (Tokens.InvalidToken e) {
      ctx.fail(e);
      return;
    }
    if (principal.roles().stream().noneMatch(roles::contains)) {
      if (mode == Mode.OPTIONAL) {
        // a valid token whose role this operation does not name gets the public answer: the app
        // may send its device token everywhere without learning a 403 for it
        ctx.next();
        return;
      }
      ctx.fail(ProblemException.status(403));
      return;
    }
    principal.attachTo(ctx);
    ctx.next();
  }

  @Override
  public String toString() {
    return mode + " " + roles.stream().sorted().collect(Collectors.joining(","));
  }
}
