-- Childline: the national 24/7 helpline that the support directory's brief names for "talk to
-- someone now" (free, confidential, for anyone under 19). It comes after the seeded directory in
-- order, but its 24/7 line puts it among the first answers whenever openNow=true is asked.
INSERT INTO content.support_services
    (id, name, description, categories, age_min, age_max, phone, website, free, confidential,
     self_referral, hours, updated_by)
VALUES
    ('childline',
     'Childline',
     'Talk to a trained counsellor about anything that is worrying you, big or small, at any time of the day or night. Calls are free and confidential, and the number does not show on your phone bill.',
     ARRAY['mental_health', 'safeguarding'], NULL, 18, '0800 1111', 'https://www.childline.org.uk/',
     true, true, true,
     '{"phone": {"weekly": [
        {"day": "MON", "opens": "00:00", "closes": "24:00"}, {"day": "TUE", "opens": "00:00", "closes": "24:00"},
        {"day": "WED", "opens": "00:00", "closes": "24:00"}, {"day": "THU", "opens": "00:00", "closes": "24:00"},
        {"day": "FRI", "opens": "00:00", "closes": "24:00"}, {"day": "SAT", "opens": "00:00", "closes": "24:00"},
        {"day": "SUN", "opens": "00:00", "closes": "24:00"}], "exceptions": []}}',
     'directory-brief');
