package uk.gov.islington.youthsafety.content.reports;

/** A moderator's phone for duty pushes, and whether they are on duty. */
public record DutyDevice(String staffId, String fcmToken, boolean onDuty) {}
