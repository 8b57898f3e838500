package uk.gov.islington.youthsafety.api.http;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * In-memory token buckets, one set per named limit, keyed by client address (or any other key a
 * feature chooses). Never persisted or logged; each instance limits on its own, which is enough to
 * blunt abuse. Idle full buckets are dropped by {@link #sweep}, so memory stays bounded by the
 * number of active clients.
 */
public final class RateLimits {

  /**
   * The outcome: allowed, or refused with the seconds until a token is available; with what is left
   * of the budget and the seconds until it is full again, for the RateLimit header.
   */
  public record Decision(
      boolean allowed, long retryAfterSeconds, int remaining, long fullInSeconds) {}

  private final Map<String, Limit> limits = new ConcurrentHashMap<>();

  /** The named limit, created on first use; later calls with other numbers get the first one. */
  public Limit limit(String name, int capacity, double refillPerMinute) {
    return limits.computeIfAbsent(name, n -> new Limit(capacity, refillPerMinute));
  }

  public void sweep(long nowNanos) {
    limits.values().forEach(l -> l.sweep(nowNanos));
  }

  /** One token bucket per key. */
  public static final class Limit {
    private final int capacity;
    private final double tokensPerNano;
    private final Map<String, Bucket> buckets = new ConcurrentHashMap<>();

    Limit(int capacity, double refillPerMinute) {
      this.capacity = capacity;
      this.tokensPerNano = refillPerMinute / 60e9;
    }

    public int capacity() {
      return capacity;
    }

    /** The seconds an empty bucket takes to fill: the window of the RateLimit-Policy header. */
    public long windowSeconds() {
      return (long) Math.ceil(capacity / tokensPerNano / 1e9);
    }

    public Decision acquire(String key) {
      return acquire(key, System.nanoTime());
    }

    Decision acquire(String key, long now) {
      Bucket b = buckets.computeIfAbsent(key, k -> new Bucket(capacity, now));
      synchronized (b) {
        b.refill(now, capacity, tokensPerNano);
        boolean allowed = b.tokens >= 1;
        if (allowed) {
          b.tokens -= 1;
        }
        long full = (long) Math.ceil((capacity - b.tokens) / tokensPerNano / 1e9);
        if (allowed) {
          return new Decision(true, 0, (int) b.tokens, full);
        }
        long wait = (long) Math.ceil((1 - b.tokens) / tokensPerNano / 1e9);
        return new Decision(false, Math.max(1, wait), 0, full);
      }
    }

    /**
     * Gives back a token {@link #acquire} took, for limits that count only failures (wrong
     * passwords, wrong receipt codes): the attempt takes a token before it is checked, so a
     * concurrent burst cannot pass the cap, and a success returns it.
     */
    public void refund(String key) {
      Bucket b = buckets.get(key);
      if (b != null) {
        synchronized (b) {
          b.tokens = Math.min(capacity, b.tokens + 1);
        }
      }
    }

    void sweep(long now) {
      buckets
          .entrySet()
          .removeIf(
              e -> {
                synchronized (e.getValue()) {
                  e.getValue().refill(now, capacity, tokensPerNano);
                  return e.getValue().tokens >= capacity;
                }
              });
    }
  }

  private static final class Bucket {
    double tokens;
    long updated;

    Bucket(int capacity, long now) {
      this.tokens = capacity;
      this.updated = now;
    }

    void refill(long now, int capacity, double perNano) {
      tokens = Math.min(capacity, tokens + (now - updated) * perNano);
      updated = now;
    }
  }
}
