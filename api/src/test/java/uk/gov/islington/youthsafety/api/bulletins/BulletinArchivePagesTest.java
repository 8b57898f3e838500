package uk.gov.islington.youthsafety.api.bulletins;

import static org.assertj.core.api.Assertions.assertThat;

import com.rometools.rome.feed.synd.SyndEntry;
import com.rometools.rome.feed.synd.SyndFeed;
import com.rometools.rome.io.SyndFeedInput;
import com.rometools.rome.io.XmlReader;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.json.JsonArray;
import io.vertx.ext.web.client.HttpResponse;
import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import uk.gov.islington.youthsafety.api.testing.TestApp;
import uk.gov.islington.youthsafety.api.testing.WithTestApp;

/**
 * The public archive over HTTP: the list (paged, newest first, sent bulletins only), one bulletin,
 * and the Atom feed read by a real feed parser (Rome): stable ids, updated times, full text.
 */
@WithTestApp("PUBLIC_BASE_URL=https://youth-safety.example.test")
class BulletinArchivePagesTest {

  static TestApp app;
  static BulletinApi api;
  static List<String> sent = new ArrayList<>();
  static String draft;

  @BeforeAll
  static void start() throws Exception {
    api = new BulletinApi(app);
    for (int i = 1; i <= 12; i++) {
      String id =
          api.createDraft(
              BulletinApi.draft("Bulletin number " + i + " <b>&</b>")
                  .put("urgent", i == 12)
                  .put("audiences", new JsonArray().add(i % 2 == 0 ? "parents" : "professionals")));
      api.sendAndWait(id);
      sent.add(0, id); // newest first
      app.clock.advance(Duration.ofMinutes(5));
    }
    draft = api.createDraft(BulletinApi.draft("A draft nobody may see"));
  }

  private static HttpResponse<Buffer> get(String path) {
    return app.await(app.http().get(path).send());
  }

  @Test
  void theArchiveListsSentBulletinsNewestFirstTenAPage() {
    HttpResponse<Buffer> first = get("/bulletins");
    assertThat(first.statusCode()).isEqualTo(200);
    assertThat(first.getHeader("Content-Type")).startsWith("text/html");
    assertThat(first.getHeader("Cache-Control")).isEqualTo("public, max-age=60");
    assertThat(first.getHeader("Content-Security-Policy")).contains("default-src 'self'");
    String html = first.bodyAsString();
    assertThat(html)
        .contains(
            "<html lang=\"en\"",
            "Urgent: Bulletin number 12 &lt;b&gt;&amp;&lt;/b&gt;",
            "href=\"/bulletins/subscribe\"",
            "href=\"/bulletins.atom\"")
        .doesNotContain("A draft nobody may see", "<script");
    assertThat(html.indexOf("/bulletins/" + sent.get(0)))
        .isLessThan(html.indexOf("/bulletins/" + sent.get(9)));
    assertThat(html).doesNotContain("/bulletins/" + sent.get(10));
    String older =
        html.replaceAll("(?s).*href=\"(/bulletins\\?cursor=[^\"]+)\".*", "$1")
            .replace("&amp;", "&");
    String second = get(older).bodyAsString();
    assertThat(second)
        .contains("/bulletins/" + sent.get(10), "/bulletins/" + sent.get(11), "Older bulletins")
        .doesNotContain("/bulletins/" + sent.get(0) + "\"");

    assertThat(get("/bulletins?cursor=not-a-cursor").statusCode()).isEqualTo(400);
  }

  @Test
  void oneBulletinHasItsPageAndDraftsOrUnknownIdsAreNotFound() {
    HttpResponse<Buffer> page = get("/bulletins/" + sent.get(3));
    assertThat(page.statusCode()).isEqualTo(200);
    assertThat(page.bodyAsString())
        .contains(
            "<h1 class=\"govuk-heading-l\">Bulletin number 9 &lt;b&gt;&amp;&lt;/b&gt;</h1>",
            "The Lift youth hub");
    for (String missing :
        List.of("/bulletins/" + draft, "/bulletins/bul_nothing", "/bulletins/a/b")) {
      HttpResponse<Buffer> r = get(missing);
      assertThat(r.statusCode()).as(missing).isEqualTo(404);
      assertThat(r.getHeader("Content-Type")).as(missing).startsWith("text/html");
      assertThat(r.bodyAsString())
          .as(missing)
          .contains("Page not found")
          .doesNotContain("A draft nobody may see");
    }
  }

  @Test
  void theAtomFeedParsesInARealFeedReaderWithStableIds() throws Exception {
    HttpResponse<Buffer> r = get("/bulletins.atom");
    assertThat(r.statusCode()).isEqualTo(200);
    assertThat(r.getHeader("Content-Type")).isEqualTo("application/atom+xml; charset=utf-8");
    SyndFeed feed =
        new SyndFeedInput().build(new XmlReader(new ByteArrayInputStream(r.body().getBytes())));
    assertThat(feed.getFeedType()).isEqualTo("atom_1.0");
    assertThat(feed.getUri()).isEqualTo("tag:islington.gov.uk,2026:youth-safety-bulletin");
    assertThat(feed.getEntries()).hasSize(12);
    SyndEntry newest = feed.getEntries().get(0);
    assertThat(newest.getUri())
        .isEqualTo("tag:islington.gov.uk,2026:youth-safety-bulletin:" + sent.get(0));
    assertThat(newest.getTitle()).isEqualTo("Urgent: Bulletin number 12 <b>&</b>");
    assertThat(newest.getLink())
        .isEqualTo("https://youth-safety.example.test/bulletins/" + sent.get(0));
    assertThat(newest.getUpdatedDate()).isNotNull();
    assertThat(newest.getContents().get(0).getValue()).contains("The Lift youth hub");
    assertThat(feed.getPublishedDate()).isEqualTo(newest.getUpdatedDate());
    assertThat(feed.getEntries().get(11).getUpdatedDate()).isBefore(newest.getUpdatedDate());
    assertThat(r.bodyAsString()).doesNotContain("A draft nobody may see");
    // the same bulletins, the same bytes: a reader sees nothing new
    assertThat(get("/bulletins.atom").bodyAsString()).isEqualTo(r.bodyAsString());
  }
}
