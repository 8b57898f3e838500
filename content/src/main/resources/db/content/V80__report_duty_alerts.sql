-- Duty alerts: someone is told when a report arrives. An alert names no report: it says how
-- urgent, the category group and where the queue is (docs/privacy.md, "Duty alerts").

-- The only thing an alert says about what was reported: coarse enough to point at no one.
ALTER TABLE content.report_categories
    ADD COLUMN category_group text NOT NULL DEFAULT 'safeguarding'
        CHECK (category_group IN ('safeguarding', 'crime'));
UPDATE content.report_categories SET category_group = 'crime' WHERE destination = 'CRIMESTOPPERS';

-- A non-urgent report waits for the next digest until it has been counted in one; urgent reports
-- alert in the transaction that stores them. Reports from before alerts existed count as told.
ALTER TABLE content.reports ADD COLUMN announced boolean NOT NULL DEFAULT true;
CREATE INDEX reports_unannounced ON content.reports (seq) WHERE NOT announced;

-- When the last digest went out, so that digests come at most every REPORT_ALERT_DIGEST_INTERVAL.
-- One row; its time says when staff were told, not when any report was made.
CREATE TABLE content.report_alert_state (
    id             boolean PRIMARY KEY DEFAULT true CHECK (id),
    last_digest_at timestamptz
);
INSERT INTO content.report_alert_state DEFAULT VALUES;
