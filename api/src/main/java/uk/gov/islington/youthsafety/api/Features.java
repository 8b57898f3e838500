package uk.gov.islington.youthsafety.api;

import java.util.List;
import java.util.function.Supplier;
import uk.gov.islington.youthsafety.api.bulletins.BulletinsFeature;
import uk.gov.islington.youthsafety.api.console.ConsoleFeature;
import uk.gov.islington.youthsafety.api.consultations.ConsultationsFeature;
import uk.gov.islington.youthsafety.api.devices.DeviceFeature;
import uk.gov.islington.youthsafety.api.directory.SupportDirectoryFeature;
import uk.gov.islington.youthsafety.api.events.EventsFeature;
import uk.gov.islington.youthsafety.api.havens.HavensFeature;
import uk.gov.islington.youthsafety.api.idempotency.IdempotencyFeature;
import uk.gov.islington.youthsafety.api.outbox.OutboxFeature;
import uk.gov.islington.youthsafety.api.platform.PlatformFeature;
import uk.gov.islington.youthsafety.api.push.PushFeature;
import uk.gov.islington.youthsafety.api.reports.ReportsFeature;
import uk.gov.islington.youthsafety.api.staff.StaffFeature;

/** Every feature of the service. Add a line here when you add a feature package. */
final class Features {

  private Features() {}

  static List<Feature> all(AppContext app) {
    StaffFeature staff = new StaffFeature(app);
    // one push sender for the bulletin and the duty alerts: one FCM quota
    PushFeature push = new PushFeature(app);
    BulletinsFeature bulletins = new BulletinsFeature(app, push.sender());
    ReportsFeature reports = new ReportsFeature(app, push.sender());
    ConsultationsFeature consultations = new ConsultationsFeature(app);
    EventsFeature events = new EventsFeature(app);
    HavensFeature havens = new HavensFeature(app);
    List<Feature> all = new java.util.ArrayList<>();
    // what the service cannot do as configured, for readiness and the console's banner
    Supplier<List<String>> warnings =
        () -> all.stream().flatMap(f -> f.warnings().stream()).toList();
    all.addAll(
        List.of(
            new PlatformFeature(app, warnings),
            new DeviceFeature(app),
            staff,
            new OutboxFeature(app),
            push, // before the features that push: stopped after them
            new IdempotencyFeature(app),
            new SupportDirectoryFeature(app),
            havens,
            events,
            consultations,
            reports,
            bulletins,
            // the console's pages call these features' services
            new ConsoleFeature(
                app, staff, reports, consultations, events, bulletins, havens, warnings)));
    return List.copyOf(all);
  }
}
