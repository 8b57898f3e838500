-- A referral e-mail that went to the local mail sink has reached no one: it is "waiting to be
-- sent", never "delivered", so the reporter is never told that CSCT or Crimestoppers has it.
ALTER TABLE content.report_forwards DROP CONSTRAINT report_forwards_state_check;
ALTER TABLE content.report_forwards ADD CONSTRAINT report_forwards_state_check
    CHECK (state IN ('pending', 'awaiting_handoff', 'waiting_to_be_sent', 'delivered', 'failed'));

-- still one live forward per report: one waiting to be sent is live (a moderator may hand it over)
DROP INDEX content.report_forwards_one_live;
CREATE UNIQUE INDEX report_forwards_one_live ON content.report_forwards (report_id)
    WHERE state IN ('pending', 'awaiting_handoff', 'waiting_to_be_sent', 'delivered');
