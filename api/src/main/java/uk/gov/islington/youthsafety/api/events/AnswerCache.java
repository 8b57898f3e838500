package uk.gov.islington.youthsafety.api.events;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ConcurrentHashMap;
import uk.gov.islington.youthsafety.api.http.Conditional;

/**
 * Rendered answers (bytes and their ETag) keyed by the normalised question, each valid for one
 * catalogue version. Shared by every event loop of the process. Bounded: when full it starts again
 * empty, which costs one render per key (the catalogue is in memory, so that is cheap).
 */
final class AnswerCache {

  /** A rendered answer; the ETag is a hash of the bytes, so every instance gives the same one. */
  record Rendered(long version, Buffer body, String etag) {}

  private final ConcurrentHashMap<String, Rendered> entries = new ConcurrentHashMap<>();
  private final int maxEntries;
  private volatile long version = Long.MIN_VALUE;

  AnswerCache(int maxEntries) {
    this.maxEntries = maxEntries;
  }

  /** The answer cached under {@code key} for {@code currentVersion}, or null. */
  Rendered get(String key, long currentVersion) {
    if (currentVersion < 0) {
      return null;
    }
    Rendered r = entries.get(key);
    return r != null && r.version() == currentVersion ? r : null;
  }

  /** Renders once: hashes the bytes and keeps them if {@code version} may be cached. */
  Rendered put(String key, long version, Buffer body) {
    Rendered r = new Rendered(version, body, Conditional.tagOf(body));
    if (version < 0) {
      return r;
    }
    if (version != this.version) {
      // a new catalogue version: everything older is stale
      synchronized (this) {
        if (version > this.version) {
          entries.clear();
          this.version = version;
        }
      }
    }
    if (version == this.version) {
      if (entries.size() >= maxEntries) {
        entries.clear();
      }
      entries.put(key, r);
    }
    return r;
  }

  int size() {
    return entries.size();
  }

  static Buffer utf8(String s) {
    return Buffer.buffer(s.getBytes(StandardCharsets.UTF_8));
  }
}
