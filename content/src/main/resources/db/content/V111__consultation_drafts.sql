-- A consultation the Youth Council is still writing in the console, one page at a time: nothing
-- public exists until "check your answers" creates it. The body has the shape of a
-- createConsultation request, so the same parsing and rules apply when it is created. No personal
-- data beyond the staff id of who started it; untouched drafts are deleted after 30 days
-- (retention rule consultation-drafts).
CREATE TABLE content.consultation_drafts (
    id         text PRIMARY KEY,
    created_by text NOT NULL,
    body       jsonb NOT NULL,
    created_at timestamptz NOT NULL,
    updated_at timestamptz NOT NULL
);
CREATE INDEX consultation_drafts_updated ON content.consultation_drafts (updated_at);
