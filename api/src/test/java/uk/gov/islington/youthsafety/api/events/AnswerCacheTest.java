package uk.gov.islington.youthsafety.api.events;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.http.Conditional;

/** The rendered-answer cache: versions, bounds, ETags and If-None-Match (RFC 9110). */
class AnswerCacheTest {

  @Test
  void anAnswerIsServedOnlyForItsVersion() {
    AnswerCache cache = new AnswerCache(10);
    AnswerCache.Rendered r = cache.put("k", 3, Buffer.buffer("a"));
    assertThat(cache.get("k", 3)).isEqualTo(r);
    assertThat(cache.get("k", 4)).isNull();
    assertThat(cache.get("k", -1)).isNull();
    cache.put("other", 4, Buffer.buffer("b"));
    assertThat(cache.get("k", 3)).as("a newer version clears older answers").isNull();
    assertThat(cache.size()).isEqualTo(1);
    // an answer that may not be cached is still rendered with its ETag, and not kept
    AnswerCache.Rendered uncached = cache.put("n", -1, Buffer.buffer("c"));
    assertThat(uncached.etag()).isEqualTo(Conditional.tagOf(Buffer.buffer("c")));
    assertThat(cache.get("n", -1)).isNull();
  }

  @Test
  void theCacheIsBounded() {
    AnswerCache cache = new AnswerCache(3);
    for (int i = 0; i < 10; i++) {
      cache.put("k" + i, 1, Buffer.buffer("x" + i));
    }
    assertThat(cache.size()).isLessThanOrEqualTo(3);
    assertThat(cache.get("k9", 1)).isNotNull();
  }
}
