-- V1_1: seed data for content.support_services
--
-- Source: Islington Safer School Partnership Protocol (ISSPP) 2023-2024,
-- section 11 "Directory of Support" (shared seed 004). The CSCT e-mail address
-- comes from the Islington gangs safeguarding protocol (shared seed 003,
-- section 10 "Contact Details"). No contact detail here comes from anywhere
-- else; a column is NULL when the seeds do not state it.
--
-- Phone numbers are written in the standard UK layout (the seed mixes
-- "0207 527 7400" and "020 7527 7400"; the digits are unchanged).
-- sort_order: emergency/reporting rows first (999, 101, Crimestoppers, CSCT),
-- then the directory in the order it appears in the seed.

INSERT INTO content.support_services
    (id, name, description, category, age_min, age_max, phone, email, website, address, sort_order)
VALUES
    ('emergency-999',
     'Emergency: 999',
     'Call 999 for the police or an ambulance if someone is in danger right now or a crime is happening. Use it in an emergency only.',
     'emergency', NULL, NULL, '999', NULL, NULL, NULL, 1),

    ('police-non-emergency-101',
     'Police non-emergency: 101',
     'Call 101 to report a crime to the police when it is not an emergency.',
     'emergency', NULL, NULL, '101', NULL, NULL, NULL, 2),

    ('crimestoppers',
     'Crimestoppers',
     'Report a crime anonymously, without giving your name. You can call 0800 555 111 or use Crimestoppers'' anonymous online form.',
     'emergency', NULL, NULL, '0800 555 111', NULL,
     'https://crimestoppers-uk.org/give-information/forms/giveinformation-anonymously', NULL, 3),

    ('csct',
     'Children''s Services Contact Team (CSCT)',
     'If you are worried that a child or young person needs help or protection, contact the CSCT. It is the single point of contact for all services for children, young people and families in Islington who may need extra help and support.',
     'safeguarding', NULL, NULL, '020 7527 7400', 'csctreferrals@islington.gov.uk', NULL, NULL, 4),

    ('family-information-service',
     'Family Information Service',
     'The Family Information Service can give you more information about any of the services in this directory.',
     'family_support', NULL, NULL, '020 7527 5959', 'fis@islington.gov.uk', NULL, NULL, 5),

    ('bright-start',
     'Bright Start (0-5)',
     'Bright Start Islington offers activities and services for under-fives and their families, including health visiting, stay and play, parenting support and help to find work. Most are free or low cost, and there are 16 children''s centres in Islington.',
     'family_support', 0, 5, NULL, NULL, 'https://www.islington.gov.uk/brightstart', NULL, 6),

    ('bright-futures',
     'Bright Futures (5-19)',
     'Bright Futures helps families with children aged 5 to 19 with things like education, employment and parenting, working closely with schools. Families can use the helpline 9am to 5pm, Monday to Friday (except public holidays); professionals should refer through the CSCT on 020 7527 7400.',
     'family_support', 5, 19, '020 7527 4343', 'earlyhelp@islington.gov.uk', NULL, NULL, 7),

    ('vru-parental-support-project',
     'VRU Parental Support Project',
     'A pilot project funded by the London Violence Reduction Unit for families in Islington and Camden. It offers community-based, peer-to-peer support for parents and carers, direct support to children and families, and free online training for parents and carers. E-mail for more information or to make a referral.',
     'family_support', NULL, NULL, NULL, 'VRUREFERRALS@Islington.gov.uk', NULL, NULL, 8),

    ('minority-matters',
     'Minority Matters',
     'A grass-roots organisation supporting Black and minority ethnic communities in Islington. It runs education programmes and parent/carer peer support groups, and supports families whose children are affected by county lines and knife crime.',
     'community', NULL, NULL, '020 7272 0039', 'info@minoritymatters.org.uk', NULL, NULL, 9),

    ('children-in-need',
     'Children in Need Service (Children''s Social Care)',
     'The Children in Need service works with children and families who need extra support, and with children and young people who need protection. The Children''s Services Contact Team is part of this service, so contact it through the CSCT.',
     'safeguarding', NULL, NULL, '020 7527 7400', NULL, NULL, NULL, 10),

    ('children-looked-after',
     'Children Looked After Service (Children''s Social Care)',
     'A service from several agencies working together for looked after children (children in care). Its aim is to get good outcomes for looked after children and close the gap between them and other children.',
     'safeguarding', NULL, NULL, '020 7527 7000', NULL, NULL, NULL, 11),

    ('youth-justice-service',
     'Islington Youth Justice Service (YJS)',
     'Supports young people aged 10 to 17 to stop them offending or re-offending, working with the police, schools, health, probation and voluntary organisations. It supports young people on court orders or bail support, and also supports parents and victims of young offenders.',
     'youth_justice', 10, 17, '020 7527 7050', NULL, NULL, NULL, 12),

    ('exploited-and-missing-team',
     'Exploited and Missing Team',
     'Gives advice and guidance about children at risk of exploitation, including gangs, child sexual exploitation, harmful sexual behaviour, modern slavery, human trafficking and county lines.',
     'exploitation', NULL, NULL, '020 7527 8051', NULL, NULL, NULL, 13),

    ('integrated-gang-team',
     'Integrated Gang Team (IGT)',
     'Works with young people aged 10 to 24 who are affected by group or gang violence, together with the police, children''s services, youth services, probation, the NHS and specialist charities. It offers one-to-one support and group work, and prevention work with brothers and sisters of young people involved in gangs.',
     'exploitation', 10, 24, '07710 854048', 'IGT@islington.gov.uk', NULL, NULL, 14),

    ('solace-womens-aid',
     'Solace Women''s Aid (domestic abuse)',
     'Solace supports women, men and children experiencing or escaping domestic violence. Help includes emergency refuge accommodation, floating support, advice by phone or face to face, and advocacy.',
     'victim_support', NULL, NULL, NULL, NULL, NULL, NULL, 15),

    ('targeted-youth-support',
     'Targeted Youth Support (TYS)',
     'TYS key workers support young people and their families with things like behaviour, avoiding school exclusion, anger management, positive relationships and keeping safe in the community and online. TYS also runs triage, which steers young people away from the youth justice system.',
     'youth_work', NULL, NULL, '020 7527 7050', 'TYS@islington.gov.uk', NULL, NULL, 16),

    ('emotional-mental-health-services',
     'Social, Emotional and Mental Health Services (CAMHS, TYS Counselling, Brandon Centre)',
     'Support for children and young people''s social, emotional and mental health, including the Children and Adolescent Mental Health Service (CAMHS), TYS Counselling and the Brandon Centre. These are reached through the Children''s Services Contact Team.',
     'mental_health', NULL, NULL, '020 7527 7400', NULL, NULL, NULL, 17),

    ('ycsmas',
     'YCSMAS - Youth Counselling & Substance Misuse & Alcohol Service',
     'Free and confidential counselling and drug and alcohol support for young people aged 12 to 21 who live or study in Islington (up to 25 for young people with learning needs). Counselling is usually 6 to 8 weekly sessions with the same counsellor, and the service can also support families. You can also call 07825 098200.',
     'substance_misuse', 12, 25, '020 7527 5099', 'YCSMAS@islington.gov.uk', NULL, NULL, 18),

    ('chance-uk',
     'Chance UK (mentoring for 5-11 year olds)',
     'A year-long mentoring programme for children aged 5 to 11 with emotional and behavioural difficulties, helping them build skills, confidence and ambitions. Children can be referred online.',
     'mentoring', 5, 11, '020 7281 5858', NULL, 'http://www.chanceuk.com/refer-a-child/', NULL, 19),

    ('wipers',
     'Wipers (mentoring for 11-17 year olds)',
     'Mentoring for young people aged 11 to 17, with structured, positive activities that can help with getting into education, training and work. Contact through Targeted Youth Support.',
     'mentoring', 11, 17, '020 7527 7050', 'info@wipers.org.uk', NULL, NULL, 20),

    ('abianda',
     'Abianda - The Star Project',
     'A 12-session one-to-one service for gang-affected young women aged 16 to 24. It helps with healthy relationships and with preventing sexual violence, exploitation and other violence against women and girls. Contact through Targeted Youth Support.',
     'exploitation', 16, 24, '020 7527 7050', NULL, NULL, NULL, 21),

    ('st-giles-trust',
     'St Giles Trust',
     'A national charity with three key workers in Islington''s Targeted Youth Support and Integrated Gangs Team, working with young people up to 18. They specialise in supporting gang-affected young people and help with getting into employment-related training and education.',
     'education_employment', NULL, 18, '020 7527 4114', 'TYS@islington.gov.uk', NULL, NULL, 22),

    ('iyla',
     'Improving Young People''s Lives through Awareness (IYLA)',
     'Awareness-raising, training and workshops for schools, youth clubs, council services and other agencies about safeguarding issues such as exploitation risks to young people. Run jointly by Targeted Youth Support, the Exploitation and Missing team and the Integrated Gangs Team; e-mail to ask for a training form.',
     'safeguarding', NULL, NULL, NULL, 'IYLA@islington.gov.uk', NULL, NULL, 23),

    ('ben-kinsella-trust',
     'Ben Kinsella Trust',
     'Workshops and programmes that teach children and young people about the consequences of carrying a knife and how to make positive choices to stay safe.',
     'community', NULL, NULL, '07712 306103', 'sophia.antoniazzi@benkinsella.org.uk', NULL,
     '245 St John St, Clerkenwell, EC1V 4NB', 24),

    ('victim-support',
     'Victim Support - Victim Assessment and Referral Service (VARS)',
     'Initial support and information for anyone affected by crime; they will look at what support you need and refer you to local services. Freephone lines are open 8am to 8pm Monday to Friday and 9am to 5pm on Saturdays.',
     'victim_support', NULL, NULL, '0808 168 9291', NULL, NULL, NULL, 25),

    ('jigsaw-gc',
     'Jigsaw - GC',
     'A local community youth organisation commissioned by the council to do detached (street-based) youth work in the Highbury & Islington area and other priority locations. Youth workers talk with young people about their concerns and point them to youth services, activities and support.',
     'youth_work', NULL, NULL, NULL, 'info@jigsaw-gc.com', NULL, NULL, 26),

    ('arsenal-in-the-community',
     'Arsenal in the Community',
     'The community arm of Arsenal Football Club, working in local schools and community hubs. It focuses on youth engagement, education, work skills and employment, mental health, disability sport, and tackling loneliness and isolation.',
     'community', NULL, NULL, NULL, NULL, NULL, 'The Arsenal Hub, Benwell Road', 27),

    ('universal-play-and-youth-services',
     'Universal Play and Youth Services',
     'Free play and youth services for all children and young people in Islington, including 12 adventure playgrounds, youth provision at Lift, Platform and Soapbox, and clubs offering sport, art, cooking, music production and more. Call for more information.',
     'youth_work', NULL, NULL, '020 7527 5959', NULL, NULL, NULL, 28),

    ('adventure-playgrounds',
     'Adventure Playgrounds',
     'Islington has 12 free, safe, open-access adventure playgrounds for children aged six and up, including one designed especially for children with special educational needs and disabilities (SEND).',
     'youth_work', 6, NULL, NULL, NULL, NULL, NULL, 29),

    ('youth-work-and-youth-spaces',
     'Youth Work and Youth Spaces',
     'Youth work across Islington, from small local clubs and community groups to larger youth hubs such as Lift, Soapbox and Rosebowl. The best place to find out what is on is izzy info, the council''s directory for young people and those who support them.',
     'youth_work', NULL, NULL, NULL, NULL, NULL, NULL, 30),

    ('youth-safety-bulletin',
     'Islington Youth Safety Bulletin',
     'Sign up to get regular updates on youth safety services, events, training and reports in Islington.',
     'community', NULL, NULL, NULL, 'youthsafety@islington.gov.uk', NULL, NULL, 31);
