package uk.gov.islington.youthsafety.api.idempotency;

import java.time.Duration;
import java.util.List;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.common.Idempotency;
import uk.gov.islington.youthsafety.content.common.Retention;

/**
 * The one retention rule of the Idempotency-Keys of every creating operation ({@code
 * IDEMPOTENCY_RETENTION}); the features claim keys through {@link Idempotency}.
 */
public final class IdempotencyFeature implements Feature {

  private final Duration keep;

  public IdempotencyFeature(AppContext app) {
    this.keep = app.config().duration("IDEMPOTENCY_RETENTION", Duration.ofDays(1));
  }

  @Override
  public void routes(Routes routes) {
    // no operations of its own
  }

  @Override
  public List<Retention> retention() {
    return List.of(Idempotency.retention(keep));
  }
}
