-- An urgent report that nobody has claimed is escalated every REPORT_URGENT_ESCALATE_AFTER until
-- someone claims it. The due time is the only time the service keeps for a report, and only while
-- it waits unclaimed: the row goes when the report is claimed or closed (docs/privacy.md).
CREATE TABLE content.report_escalations (
    report_id   uuid PRIMARY KEY REFERENCES content.reports (id) ON DELETE CASCADE,
    due_at      timestamptz NOT NULL,
    escalations integer NOT NULL DEFAULT 0 CHECK (escalations >= 0)
);
CREATE INDEX report_escalations_due ON content.report_escalations (due_at);
