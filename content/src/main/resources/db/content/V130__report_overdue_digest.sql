-- The day the duty inbox was last told how many reports are overdue for triage: once a working day.
ALTER TABLE content.report_alert_state ADD COLUMN last_overdue_digest_on date;
