package uk.gov.islington.youthsafety.api.platform;

/**
 * Whether this instance is shutting down. From the first moment of a shutdown readiness fails, so
 * that the load balancer stops sending new requests, while the instance still serves every request
 * that reaches it until the drain period is over (docs/operations.md, SHUTDOWN_DRAIN).
 */
public final class Draining {

  private volatile boolean draining;

  public void begin() {
    draining = true;
  }

  public boolean isDraining() {
    return draining;
  }
}
