package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import io.vertx.ext.web.openapi.router.OpenAPIRoute;
import io.vertx.ext.web.openapi.router.RouterBuilder;
import io.vertx.openapi.contract.OpenAPIContract;
import io.vertx.openapi.contract.Operation;
import io.vertx.openapi.validation.ValidatedRequest;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import uk.gov.islington.youthsafety.api.auth.Tokens;

/**
 * Builds the HTTP router from the contract. For every operation the chain is: auth (security +
 * x-roles) → rate limit (x-rate-limit) → media type and schema validation → the feature's handler.
 * Auth runs before validation so that a caller without the right token learns nothing about the
 * body's shape. A contract operation without a handler, or a handler for an operation the contract
 * lacks, stops the start.
 */
public final class ApiRouter {

  private ApiRouter() {}

  /** The longest a handler may take before the request answers 503 (REQUEST_TIMEOUT). */
  public static final Duration DEFAULT_REQUEST_TIMEOUT = Duration.ofSeconds(20);

  /** The longest a handler may take while PostgreSQL is failing (OUTAGE_WAIT). */
  public static final Duration DEFAULT_OUTAGE_WAIT = Duration.ofMillis(500);

  /** How long after its last failure PostgreSQL is still thought to be failing. */
  public static final Duration DEFAULT_OUTAGE_MEMORY = Duration.ofSeconds(2);

  /**
   * @param bodyLimitBytes larger bodies are refused with 413 before they are read
   * @param clientNetwork whom X-Forwarded-For is believed from, and the key of every rate limit
   * @param deadlines a backstop for what the pool's timeouts cannot see (a PostgreSQL that stops
   *     answering on a connection it already gave): the request then answers 503; shared by every
   *     router of the process, so that an outage one event loop sees bounds the waits on all
   */
  public static Router build(
      Vertx vertx,
      OpenAPIContract contract,
      Routes routes,
      Tokens tokens,
      RateLimits limits,
      int bodyLimitBytes,
      ClientNetwork clientNetwork,
      RequestDeadlines deadlines) {
    Map<String, ApiHandler> handlers = routes.handlers();
    TreeSet<String> missing = new TreeSet<>();
    TreeSet<String> unknown = new TreeSet<>(handlers.keySet());
    RouterBuilder builder = RouterBuilder.create(vertx, contract);
    builder.rootHandler(new AccessLog());
    builder.rootHandler(new EscapeGuard());
    builder.rootHandler(clientNetwork);
    builder.rootHandler(BodyHandler.create(false).setBodyLimit(bodyLimitBytes));
    InlineRequestValidator validator = new InlineRequestValidator(contract);

    for (OpenAPIRoute route : builder.getRoutes()) {
      Operation op = route.getOperation();
      unknown.remove(op.getOperationId());
      ApiHandler handler = handlers.get(op.getOperationId());
      if (handler == null) {
        missing.add(op.getOperationId());
        continue;
      }
      route.setDoSecurity(false).setDoValidation(false);
      boolean anonymous = isAnonymous(op);
      String operationId = op.getOperationId();
      route.addHandler(
          ctx -> {
            ctx.put(AccessLog.OPERATION, operationId);
            if (anonymous) {
              ctx.put(AccessLog.SILENT, Boolean.TRUE);
            }
            ctx.next();
          });
      route.addHandler(new OperationAuth(op, tokens));
      Object limit = op.getExtensions().get("x-rate-limit");
      if (limit instanceof JsonObject l) {
        var bucket =
            limits.limit(
                op.getOperationId(),
                l.getInteger("capacity", 10),
                l.getDouble("refillPerMinute", 10.0));
        route.addHandler(
            ctx -> {
              var decision = bucket.acquire(ClientNetwork.of(ctx));
              if (decision.allowed()) {
                RateLimitHeaders.allowed(ctx.response(), operationId, bucket, decision);
                ctx.next();
              } else {
                RateLimitHeaders.refused(ctx.response(), operationId, decision.retryAfterSeconds());
                ctx.fail(ProblemException.status(429));
              }
            });
      }
      route.addHandler(ctx -> validate(ctx, op, validator));
      route.addHandler(ctx -> invoke(ctx, handler, deadlines));
    }
    if (!missing.isEmpty() || !unknown.isEmpty()) {
      throw new IllegalStateException(
          "contract and handlers disagree: operations without a handler "
              + missing
              + ", handlers without an operation "
              + unknown);
    }

    Router router = builder.createRouter();
    // before the failure handler below: pages answer their own failures as pages
    routes.pages().forEach(mount -> mount.accept(router));
    ErrorHandler errors = new ErrorHandler(new ContractPaths(contract), deadlines);
    router.route().failureHandler(errors);
    for (int status : new int[] {400, 401, 403, 404, 405, 406, 413, 415, 429, 500, 503}) {
      router.errorHandler(status, errors);
    }
    return router;
  }

  /**
   * The route labels (Vert.x web's form of the path template) of the contract's x-anonymous
   * operations.
   */
  public static Set<String> anonymousRoutes(OpenAPIContract contract) {
    return contract.operations().stream()
        .filter(ApiRouter::isAnonymous)
        .map(op -> op.getOpenAPIPath().replaceAll("\\{([^}/]+)}", ":$1"))
        .collect(Collectors.toUnmodifiableSet());
  }

  private static boolean isAnonymous(Operation op) {
    return Boolean.TRUE.equals(op.getExtensions().get("x-anonymous"));
  }

  private static void validate(RoutingContext ctx, Operation op, InlineRequestValidator validator) {
    var body = ctx.body().buffer();
    boolean hasBody = body != null && body.length() > 0;
    if (op.getRequestBody() != null
        && hasBody
        && !isJson(ctx.request().getHeader("Content-Type"))) {
      ctx.fail(ProblemException.status(415));
      return;
    }
    try {
      ValidatedRequest validated = validator.validate(ctx, op, hasBody ? body : null);
      if (validated.getBody() != null && !validated.getBody().isNull()) {
        NulGuard.check(validated.getBody().get());
      }
      ctx.put(RouterBuilder.KEY_META_DATA_VALIDATED_REQUEST, validated);
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    ctx.next();
  }

  private static boolean isJson(String contentType) {
    if (contentType == null) {
      return false;
    }
    String type = contentType.split(";", 2)[0].trim().toLowerCase();
    return type.equals("application/json")
        || (type.startsWith("application/") && type.endsWith("+json"));
  }

  private static void invoke(RoutingContext ctx, ApiHandler handler, RequestDeadlines deadlines) {
    Future<Reply> reply;
    try {
      reply = handler.handle(new ApiRequest(ctx));
    } catch (RuntimeException e) {
      ctx.fail(e);
      return;
    }
    deadlines
        .bound(reply)
        .onSuccess(
            r -> {
              if (!ctx.response().ended()) {
                r.send(ctx);
              }
            })
        .onFailure(ctx::fail);
  }
}
