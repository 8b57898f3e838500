package uk.gov.islington.youthsafety.api.http;

import io.vertx.core.Future;

/**
 * A feature's handler for one operation: maps the validated request to a service call and its
 * answer.
 */
@FunctionalInterface
public interface ApiHandler {
  Future<Reply> handle(ApiRequest request);
}
