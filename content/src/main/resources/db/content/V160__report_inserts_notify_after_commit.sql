-- New reports no longer NOTIFY from inside their own transaction: PostgreSQL serialises the commits
-- of all notifying transactions, so concurrent submitReport calls waited for each other. The
-- service sends the same empty notice after the commit, coalesced (content.reports.QueueChanged).
-- Moderators' changes, which are few, still notify from the trigger.
DROP TRIGGER reports_changed ON content.reports;
CREATE TRIGGER reports_changed AFTER UPDATE ON content.reports
  FOR EACH STATEMENT EXECUTE FUNCTION content.reports_changed();
