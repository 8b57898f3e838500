package uk.gov.islington.youthsafety.api.bulletins;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import uk.gov.islington.youthsafety.content.bulletins.AtomFeed;
import uk.gov.islington.youthsafety.content.bulletins.Bulletins;

/**
 * The public archive for people without the app: {@code /bulletins} (newest first, paged), {@code
 * /bulletins/{id}}, and the Atom feed {@code /bulletins.atom}. The same bulletins as listBulletins
 * and getBulletin answer, from the same service; public content, so cached briefly.
 */
final class ArchivePages {

  static final int PAGE_SIZE = 10;
  static final int FEED_ENTRIES = 50;

  private final SitePages site;
  private final Bulletins bulletins;
  private final String baseUrl;

  ArchivePages(SitePages site, Bulletins bulletins, String baseUrl) {
    this.site = site;
    this.bulletins = bulletins;
    this.baseUrl = baseUrl;
  }

  void mount(Router router) {
    router.get("/bulletins").handler(ctx -> SitePages.run(ctx, "archive", this::archive));
    router.get("/bulletins.atom").handler(ctx -> SitePages.run(ctx, "feed", this::feed));
    router
        .get("/bulletins/:bulletinId")
        .handler(ctx -> SitePages.run(ctx, "bulletin", this::bulletin));
  }

  private Future<Void> archive(RoutingContext ctx) {
    String cursor = ctx.queryParams().get("cursor");
    return bulletins
        .archive(null, PAGE_SIZE, cursor)
        .compose(
            page -> {
              Map<String, Object> p = new HashMap<>();
              p.put(
                  "frame",
                  site.frame(cursor == null ? "Youth Safety Bulletin" : "Older bulletins", false));
              p.put("items", page.items().stream().map(BulletinView::of).toList());
              p.put(
                  "older",
                  page.nextCursor() == null
                      ? null
                      : "/bulletins?cursor="
                          + java.net.URLEncoder.encode(page.nextCursor(), StandardCharsets.UTF_8));
              p.put("first", cursor == null);
              ctx.response().putHeader("Cache-Control", "public, max-age=60");
              return site.render(ctx, 200, "archive", p);
            });
  }

  private Future<Void> bulletin(RoutingContext ctx) {
    return bulletins
        .get(ctx.pathParam("bulletinId"), false)
        .compose(
            b -> {
              BulletinView view = BulletinView.of(b);
              ctx.response().putHeader("Cache-Control", "public, max-age=60");
              return site.render(
                  ctx,
                  200,
                  "bulletin",
                  Map.of("frame", site.frame(b.title(), false), "bulletin", view));
            });
  }

  private Future<Void> feed(RoutingContext ctx) {
    return bulletins
        .archive(null, FEED_ENTRIES, null)
        .map(
            page -> {
              ctx.response()
                  .putHeader("Content-Type", "application/atom+xml; charset=utf-8")
                  .putHeader("Cache-Control", "public, max-age=300")
                  .end(AtomFeed.render(page.items(), baseUrl));
              return null;
            });
  }
}
