package uk.gov.islington.youthsafety.api.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import org.junit.jupiter.api.Test;

/** The one way the features compare entity tags (the features' HTTP tests cover 304 and 412). */
class ConditionalTest {

  @Test
  void tagsAreStrongHashesOfTheBytes() {
    String a = Conditional.tagOf(Buffer.buffer("same"));
    assertThat(a)
        .isEqualTo(Conditional.tagOf(Buffer.buffer("same")))
        .startsWith("\"")
        .endsWith("\"");
    assertThat(a).isNotEqualTo(Conditional.tagOf(Buffer.buffer("other")));
    assertThat(Conditional.versionTag(12)).isEqualTo("\"v12\"");
  }

  @Test
  void ifNoneMatchUsesWeakComparisonListsAndStar() {
    String tag = "\"abc\"";
    assertThat(Conditional.noneMatchNames("\"abc\"", tag)).isTrue();
    assertThat(Conditional.noneMatchNames("W/\"abc\"", tag)).isTrue();
    assertThat(Conditional.noneMatchNames("\"x\", W/\"abc\"", tag)).isTrue();
    assertThat(Conditional.noneMatchNames("*", tag)).isTrue();
    assertThat(Conditional.noneMatchNames("\"abcd\"", tag)).isFalse();
    assertThat(Conditional.noneMatchNames(null, tag)).isFalse();
    assertThat(Conditional.noneMatchNames("", tag)).isFalse();
  }
}
