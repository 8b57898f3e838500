package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import io.vertx.openapi.validation.ValidatorException;
import io.vertx.pgclient.PgException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import uk.gov.islington.youthsafety.api.auth.Tokens;
import uk.gov.islington.youthsafety.content.common.DomainException;
import uk.gov.islington.youthsafety.content.common.Idempotency;
import uk.gov.islington.youthsafety.content.common.InvalidInput;

/**
 * The one place a failure becomes an answer. Known failures map to their 4xx problem; PostgreSQL
 * being away maps to 503; anything else is a 500 whose body says nothing but a correlation id,
 * which the log line carries too (without the request's content).
 */
public final class ErrorHandler implements Handler<RoutingContext> {

  private static final Logger LOG = LoggerFactory.getLogger(ErrorHandler.class);

  private final ContractPaths paths;
  private final RequestDeadlines deadlines;

  ErrorHandler(ContractPaths paths, RequestDeadlines deadlines) {
    this.paths = paths;
    this.deadlines = deadlines;
  }

  @Override
  public void handle(RoutingContext ctx) {
    Problem problem = toProblem(ctx);
    if (problem.status() == 401) {
      ctx.response().putHeader("WWW-Authenticate", "Bearer realm=\"youth-safety\"");
    }
    if (problem.status() == 405) {
      String allow = paths.allow(ctx.request().path());
      if (allow != null) {
        ctx.response().putHeader("Allow", allow);
      }
    }
    if (problem.status() == 503) {
      ctx.response().putHeader("Retry-After", "5");
    }
    if (ctx.failure() instanceof DomainException.Throttled t) {
      RateLimitHeaders.refused(ctx.response(), ctx.get(AccessLog.OPERATION), t.retryAfterSeconds());
    }
    problem.send(ctx.response());
  }

  private Problem toProblem(RoutingContext ctx) {
    Throwable failure = ctx.failure();
    if (failure instanceof HttpException http && http.getCause() instanceof ValidatorException v) {
      failure = v;
    }
    if (failure instanceof ValidatorException v) {
      return Problem.validation(ValidationErrors.of(v));
    }
    if (failure instanceof ProblemException p) {
      return p.problem();
    }
    if (failure instanceof InvalidInput invalid) {
      return Problem.validation(invalid.errors());
    }
    if (failure instanceof DomainException d) {
      return domain(d);
    }
    if (failure instanceof Tokens.InvalidToken t) {
      return Problem.of(401, "unauthorized", "Unauthorized", t.getMessage());
    }
    if (DatabaseUnavailable.matches(failure)) {
      LOG.warn("database unavailable: {}", failure.getClass().getSimpleName());
      deadlines.databaseFailed();
      return Problem.of(503, "unavailable", "Service unavailable", "Please try again shortly.");
    }
    int status =
        failure instanceof HttpException http
            ? http.getStatusCode()
            : failure == null ? ctx.statusCode() : 500;
    if (status >= 400 && status < 500) {
      return forStatus(status);
    }
    String correlationId = AccessLog.correlationId(ctx);
    LOG.error(
        "unhandled failure {} in {}",
        correlationId,
        ctx.<String>get(AccessLog.OPERATION),
        loggable(failure, ctx.get(AccessLog.SILENT) != null));
    return Problem.of(
            status >= 500 ? status : 500,
            "internal",
            "Internal error",
            "Something went wrong on our side.")
        .withCorrelationId(correlationId);
  }

  /**
   * What of a failure may be logged. PostgreSQL errors: the SQL state only (their messages quote
   * row values). On an x-anonymous operation: the exception's kind and stack, never its message,
   * which may quote what the reporter sent.
   */
  public static Throwable loggable(Throwable failure, boolean anonymous) {
    if (failure instanceof PgException pg) {
      return new RuntimeException("PostgreSQL " + pg.getSqlState());
    }
    if (anonymous && failure != null) {
      RuntimeException withheld =
          new RuntimeException(failure.getClass().getName() + " (message withheld)");
      withheld.setStackTrace(failure.getStackTrace());
      return withheld;
    }
    return failure;
  }

  private static Problem domain(DomainException d) {
    if (d instanceof DomainException.NotFound) {
      return Problem.of(404, "not-found", "Not found", d.getMessage());
    }
    if (d instanceof DomainException.Conflict) {
      return Problem.of(409, "conflict", "Conflict", d.getMessage());
    }
    if (d instanceof DomainException.Forbidden) {
      return Problem.of(403, "forbidden", "Forbidden", d.getMessage());
    }
    if (d instanceof Idempotency.KeyReused) {
      return Problem.of(422, "idempotency-key-reused", "Idempotency-Key reused", d.getMessage());
    }
    if (d instanceof DomainException.Throttled) {
      return Problem.of(429, "too-many-requests", "Too many requests", d.getMessage());
    }
    return Problem.of(400, "bad-request", "Bad request", d.getMessage());
  }

  static Problem forStatus(int status) {
    return switch (status) {
      case 400 ->
          Problem.of(400, "bad-request", "Bad request", "The request could not be understood.");
      case 401 ->
          Problem.of(401, "unauthorized", "Unauthorized", "A valid bearer token is required.");
      case 403 ->
          Problem.of(403, "forbidden", "Forbidden", "Your role does not allow this operation.");
      case 404 -> Problem.of(404, "not-found", "Not found", "There is nothing at this address.");
      case 405 ->
          Problem.of(405, "method-not-allowed", "Method not allowed", "See the Allow header.");
      case 406 ->
          Problem.of(406, "not-acceptable", "Not acceptable", "This resource is served as JSON.");
      case 413 ->
          Problem.of(
              413, "payload-too-large", "Payload too large", "The request body is too large.");
      case 415 ->
          Problem.of(
              415,
              "unsupported-media-type",
              "Unsupported media type",
              "Send the body as application/json.");
      case 429 ->
          Problem.of(
              429, "too-many-requests", "Too many requests", "Slow down and try again later.");
      default -> Problem.of(status, "client-error", "Client error", null);
    };
  }
}
