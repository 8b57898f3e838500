-- Destinations are rows that editors manage: besides the two built-in ones (CSCT, Crimestoppers,
-- whose ids the app knows), the partners the seeds name. A destination is reached by e-mail (to
-- its email) or by a moderator's hand-off; it is deactivated, never deleted, because reports and
-- forwards keep pointing at it.
ALTER TABLE content.report_destinations DROP CONSTRAINT report_destinations_id_check;
ALTER TABLE content.report_destinations
    ADD CONSTRAINT report_destinations_id_check CHECK (id ~ '^[A-Z][A-Z0-9_]{1,39}$'),
    ADD COLUMN channel text NOT NULL DEFAULT 'manual' CHECK (channel IN ('email', 'manual')),
    -- shown to the young person after reporting, when a category leaves it to the destination
    ADD COLUMN guidance text CHECK (length(guidance) <= 1000),
    ADD COLUMN active boolean NOT NULL DEFAULT true,
    ADD COLUMN built_in boolean NOT NULL DEFAULT false,
    ADD CONSTRAINT report_destinations_email_channel CHECK (channel <> 'email' OR email IS NOT NULL),
    ADD CONSTRAINT report_destinations_built_in_active CHECK (active OR NOT built_in);

-- the built-ins' channels are configuration (REPORT_CSCT_CHANNEL, ...); these rows say the defaults
UPDATE content.report_destinations SET built_in = true, channel = 'email' WHERE id = 'CSCT';
UPDATE content.report_destinations SET built_in = true WHERE id = 'CRIMESTOPPERS';

-- Partners from the seeds: the Exploited and Missing Team and the Integrated Gang Team (directory
-- of support, section 11; gangs protocol, section 9.10 and appendix D) and a school's Designated
-- Safeguarding Lead (Safer Schools protocol). By hand until an editor sets an e-mail channel: a
-- moderator phones or uses the team's referral form.
INSERT INTO content.report_destinations (id, name, short_name, phone, email, website, handoff_instructions, channel,
                                         guidance) VALUES
  ('EXPLOITED_MISSING',
   'Islington Exploited and Missing Team',
   'Exploited and Missing Team',
   '020 7527 8051',
   NULL,
   NULL,
   'Phone the Exploited and Missing Team on 020 7527 8051 and pass on the text below, quoting the report reference. Do not add anything about the reporter or their device. Then confirm the hand-off here.',
   'manual',
   'A trained member of staff will pass this to Islington''s Exploited and Missing Team, who help young people at risk of exploitation, county lines and going missing. Nobody will know it came from you.'),
  ('IGT',
   'Islington Integrated Gang Team (IGT)',
   'Integrated Gang Team',
   '07710 854048',
   'IGT@islington.gov.uk',
   NULL,
   'E-mail the text below to IGT@islington.gov.uk or phone 07710 854048, quoting the report reference. Do not add anything about the reporter or their device. Then confirm the hand-off here.',
   'manual',
   'A trained member of staff will pass this to Islington''s Integrated Gang Team, who work with young people affected by gangs and group violence. Nobody will know it came from you.'),
  ('SCHOOL_DSL',
   'A school''s Designated Safeguarding Lead (DSL)',
   'School DSL',
   NULL,
   NULL,
   NULL,
   'Contact the Designated Safeguarding Lead of the school the report names and pass on the text below, quoting the report reference. Do not add anything about the reporter or their device. Then confirm the hand-off here.',
   'manual',
   'A trained member of staff will pass this to the school''s Designated Safeguarding Lead, the person at school whose job is to keep pupils safe. Nobody will know it came from you.');
