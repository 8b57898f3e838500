package uk.gov.islington.youthsafety.api.console;

import io.vertx.core.Future;
import io.vertx.ext.web.Router;
import java.util.List;
import java.util.function.Supplier;
import uk.gov.islington.youthsafety.api.AppContext;
import uk.gov.islington.youthsafety.api.Feature;
import uk.gov.islington.youthsafety.api.bulletins.BulletinsFeature;
import uk.gov.islington.youthsafety.api.consultations.ConsultationsFeature;
import uk.gov.islington.youthsafety.api.events.EventsFeature;
import uk.gov.islington.youthsafety.api.havens.HavensFeature;
import uk.gov.islington.youthsafety.api.http.Routes;
import uk.gov.islington.youthsafety.api.reports.ReportsFeature;
import uk.gov.islington.youthsafety.api.staff.StaffFeature;
import uk.gov.islington.youthsafety.content.common.PgListener;
import uk.gov.islington.youthsafety.content.common.Retention;
import uk.gov.islington.youthsafety.content.staff.StaffSessions;

/**
 * The staff console under /console (../shared/CONSOLE.md): server-rendered GOV.UK Frontend pages
 * that call the same services as the JSON handlers; settings in {@link ConsoleSettings}.
 */
public final class ConsoleFeature implements Feature {

  private final StaffSessions sessions;
  private final ConsoleAssets assets = new ConsoleAssets();
  private final ConsolePages pages;
  private final SignInPages signIn;
  private final AccountPages account;
  private final TriagePages triage;
  private final StaffPages staffPages;
  private final ConsultationPages consultationPages;
  private final EventPages eventPages;
  private final BulletinEditorPages bulletinPages;
  private final HavenPages havenPages;
  private final ApplicationPages applicationPages;
  private final CategoryPages categoryPages;

  /**
   * @param warnings what the service cannot do as configured, shown to signed-in staff on every
   *     page
   */
  public ConsoleFeature(
      AppContext app,
      StaffFeature staff,
      ReportsFeature reports,
      ConsultationsFeature consultations,
      EventsFeature events,
      BulletinsFeature bulletins,
      HavensFeature havens,
      Supplier<List<String>> warnings) {
    ConsoleSettings settings = ConsoleSettings.from(app.config());
    this.sessions =
        new StaffSessions(app.pool(), app.clock(), settings.sessionIdle(), settings.sessionMax());
    this.pages = new ConsolePages(sessions, assets, warnings);
    this.signIn =
        new SignInPages(
            pages, staff.staff(), staff.secondFactors(), staff.throttle(), staff.codeThrottle());
    this.account = new AccountPages(pages, staff, reports.moderation(), app.clock());
    this.staffPages = new StaffPages(pages, staff, reports.moderation());
    this.consultationPages = new ConsultationPages(pages, consultations.service(), app.clock());
    this.eventPages = new EventPages(pages, events.events(), app.clock());
    this.bulletinPages =
        new BulletinEditorPages(app, pages, bulletins.bulletins(), settings.eventsHeartbeat());
    this.havenPages = new HavenPages(pages, havens.havens(), app.clock(), havens.reverifyAfter());
    this.applicationPages =
        new ApplicationPages(
            pages, havens.applications(), havens.contactRetention(), havens.pendingRetention());
    this.categoryPages = new CategoryPages(pages, reports.reports());
    this.triage =
        new TriagePages(
            app, pages, reports.moderation(), staff.secondFactors(), settings.eventsHeartbeat());
  }

  @Override
  public void routes(Routes routes) {
    routes.pages(this::mount);
  }

  private void mount(Router router) {
    router.route("/console*").handler(ConsolePages::headers);
    assets.mount(router);
    signIn.mount(router);
    account.mount(router);
    staffPages.mount(router);
    consultationPages.mount(router);
    eventPages.mount(router);
    bulletinPages.mount(router);
    havenPages.mount(router);
    applicationPages.mount(router);
    categoryPages.mount(router);
    triage.mount(router);
    router
        .route("/console*")
        .handler(
            ctx ->
                pages.errorPage(ctx, 404, "Page not found", "There is nothing at this address."));
    router.route("/console*").failureHandler(pages::failed);
  }

  @Override
  public List<Retention> retention() {
    return List.of(sessions.retention());
  }

  @Override
  public List<PgListener> listeners() {
    return List.of(triage.listener(), bulletinPages.listener());
  }

  @Override
  public Future<Void> start() {
    return triage.start().compose(v -> bulletinPages.start());
  }

  @Override
  public Future<Void> stop() {
    return triage.stop().compose(v -> bulletinPages.stop());
  }
}
