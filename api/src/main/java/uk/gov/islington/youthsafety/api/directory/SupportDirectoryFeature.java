package uk.gov.islington.youthsafety.api.directory;

import io.vertx.core.json.JsonObject;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.http.ApiRequest;
import uk.gov.islington.youthsafety.api.http.Reply;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.content.directory.SupportDirectory;
import uk.gov.islington.youthsafety.content.directory.SupportService;

/** listSupportServices: the directory of support, public and cacheable. */
public final class SupportDirectoryFeature implements Feature {

  private final SupportDirectory directory;

  public SupportDirectoryFeature(AppContext app) {
    this.directory = new SupportDirectory(app.pool());
  }

  @Override
  public void routes(Routes routes) {
    routes.on("listSupportServices", this::list);
  }

  private io.vertx.core.Future<Reply> list(ApiRequest req) {
    return directory.list(req.query("category"), req.queryInt("age", null), req.queryInt("limit", 20),
            req.query("cursor"))
        .map(page -> new JsonObject()
            .put("items", page.items().stream().map(SupportDirectoryFeature::toJson).toList())
            .put("nextCursor", page.nextCursor()))
        .map(body -> Reply.ok(body).header("Cache-Control", "public, max-age=300"));
  }

  static JsonObject toJson(SupportService s) {
    return new JsonObject()
        .put("id", s.id())
        .put("name", s.name())
        .put("description", s.description())
        .put("category", s.category())
        .put("ageRange", new JsonObject().put("min", s.ageMin()).put("max", s.ageMax()))
        .put("phone", s.phone())
        .put("email", s.email())
        .put("website", s.website())
        .put("address", s.address());
  }
}
