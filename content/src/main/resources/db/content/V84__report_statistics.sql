-- Monthly counts of reports, written when a report is closed, so that the council's annual
-- community-safety report has figures after the reports themselves are purged (REPORT_RETENTION).
-- Counts only: no report id, text, reference or day; the month is the month the report was made.
-- Published with small cells suppressed (listReportStatistics).
CREATE TABLE content.report_statistics (
    month          date    NOT NULL CHECK (extract(day FROM month) = 1),
    category_group text    NOT NULL CHECK (length(category_group) BETWEEN 1 AND 40),
    destination    text    NOT NULL CHECK (length(destination) BETWEEN 1 AND 40),
    -- a report area's id, or 'not_given'
    area           text    NOT NULL CHECK (length(area) BETWEEN 1 AND 64),
    -- passed_on (a destination had it), closed (without), spam
    outcome        text    NOT NULL CHECK (outcome IN ('passed_on', 'closed', 'spam')),
    reports        integer NOT NULL CHECK (reports > 0),
    PRIMARY KEY (month, category_group, destination, area, outcome)
);
