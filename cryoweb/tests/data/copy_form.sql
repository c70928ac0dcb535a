--
-- PostgreSQL database dump
--

\restrict 5pCtest

-- Dumped from database version 9.6.6
-- Dumped by pg_dump version 16.10

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

--
-- Data for Name: animal; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

ALTER TABLE apiis_admin.animal DISABLE TRIGGER ALL;

COPY apiis_admin.animal (db_animal, db_sire, db_dam, db_sex, db_breed, db_species, birth_dt, birth_year, latitude, longitude, image_id, db_org, la_rep, la_rep_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch, db_hybrid, comment, file_id) FROM stdin;
438	1	2	118	317	313	\N	\N	\N	\N	\N	112	\N	\N	2007-06-14 14:54:36	jmoos	\N	\N	1959	Germany	1	\N	\N	\N	\N
439	1	2	117	317	313	\N	1999	\N	\N	\N	112	\N	\N	2007-06-14 14:55:05	jmoos	\N	\N	1961	Germany	1	\N	\N	\N	\N
440	438	439	118	317	313	2003-01-16	\N	52.034505	8.939664	\N	112	\N	\N	2008-01-16 16:18:14	jmoos	\N	\N	1963	Germany	2	\N	\N	\N	\N
441	442	\N	119	359	341	2008-03-01	\N	51.5	\N	\N	112	\N	\N	2009-01-16 16:18:14	jmoos	\N	\N	1965	Germany	1	\N	\N	Rotes Höhenvieh, it's "Kuh" mit\nzwei Zeilen\tund Tab; C:\\stall	\N
442	999	2	\N	359	341	2001-05-20	\N	48.1	11.6	\N	112	\N	\N	2009-01-16 16:18:15	jmoos	\N	\N	1967	Germany	1	\N	\N	\N	\N
\.


ALTER TABLE apiis_admin.animal ENABLE TRIGGER ALL;

--
-- Data for Name: breeds_species; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

ALTER TABLE apiis_admin.breeds_species DISABLE TRIGGER ALL;

COPY apiis_admin.breeds_species (breed_id, db_breed, db_species, efabis_mcname, efabis_species, efabis_country, efabis_lang, chk_lvl, dirty, guid, last_change_dt, last_change_user, owner, synch, version) FROM stdin;
328	317	313	Ostfriesisches Milchschaf	Sheep	Germany	en	\N	\N	7945	\N	\N	Germany	\N	1
100	358	341	Aberdeen Angus	Cattle	Germany	en	\N	\N	7500	\N	\N	Germany	\N	2
101	359	341	Rotes Höhenvieh	Cattle	Germany	de	\N	\N	7501	\N	\N	Germany	\N	1
\.


ALTER TABLE apiis_admin.breeds_species ENABLE TRIGGER ALL;

--
-- Data for Name: codes; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

ALTER TABLE apiis_admin.codes DISABLE TRIGGER ALL;

COPY apiis_admin.codes (ext_code, class, db_code, short_name, long_name, description, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) FROM stdin;
f	SEX	117	weiblich	female	\N	2007-04-26	\N	2008-12-08 10:56:08	manager	\N	\N	517	Germany	1	\N
m	SEX	118	maennlich	male	\N	2007-04-26	\N	2008-12-08 10:56:08	manager	\N	\N	518	Germany	1	\N
u	SEX	119	unbekannt	unknown	\N	2007-04-26	\N	2008-12-08 10:56:08	manager	\N	\N	519	Germany	1	\N
Sheep	SPECIES	313	Schaf	Sheep	\N	2007-04-26	\N	2008-12-08 10:56:08	manager	\N	\N	713	Germany	1	\N
Cattle	SPECIES	341	Rind	Cattle	\N	2007-04-26	\N	2008-12-08 10:56:08	manager	\N	\N	741	Germany	1	\N
Ostfr. Milchschaf	BREED	317	OMS	Ostfr. Milchschaf	\N	2007-04-26	\N	2008-12-08 10:56:08	manager	\N	\N	717	Germany	1	\N
Aberdeen Angus	BREED	358	AA	Aberdeen Angus	\N	2007-04-26	\N	2008-12-08 10:56:08	manager	\N	\N	758	Germany	1	\N
Rotes Höhenvieh	BREED	359	RHV	Rotes Höhenvieh	\N	2007-04-26	\N	2008-12-08 10:56:08	manager	\N	\N	759	Germany	1	\N
Germany	COUNTRY	107	Deutschland	Germany	\N	2007-04-26	\N	2008-12-08 10:56:08	manager	\N	\N	507	Germany	1	\N
Semen	CRYO_TYPE	111	Sperma	Semen	\N	2007-04-26	\N	2008-12-08 10:56:08	manager	\N	\N	511	Germany	1	\N
Embryo	CRYO_TYPE	112	Embryo	Embryo	\N	2007-04-26	\N	2008-12-08 10:56:08	manager	\N	\N	512	Germany	1	\N
Hair Follicles	CRYO_TYPE	113	Haarwurzeln	Hair follicles	\N	2007-04-26	\N	2008-12-08 10:56:08	manager	\N	\N	513	Germany	1	\N
Straw 0.25	VESSEL_TYPE	108	Straw 0.25	Straw 0.25	\N	2007-04-26	\N	2008-12-08 10:56:08	manager	\N	\N	508	Germany	1	\N
\.


ALTER TABLE apiis_admin.codes ENABLE TRIGGER ALL;

--
-- Data for Name: nodes; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

ALTER TABLE apiis_admin.nodes DISABLE TRIGGER ALL;

COPY apiis_admin.nodes (nodename, address, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) FROM stdin;
Germany	127.0.0.1	2008-12-04 09:28:01		\N	\N	143	Germany	1	\N
\.


ALTER TABLE apiis_admin.nodes ENABLE TRIGGER ALL;

--
-- Data for Name: protocols; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

ALTER TABLE apiis_admin.protocols DISABLE TRIGGER ALL;

COPY apiis_admin.protocols (protocol_id, protocol_name, db_material_type, comment, chk_lvl, dirty, guid, last_change_dt, last_change_user, owner, synch, version) FROM stdin;
100	NHS_Kryoprotokoll_Schafe_2004	111	Nebenhodenschwanzsperma Schafböcke	\N	\N	760	\N	\N	Germany	\N	11
101	Embryo_2010	112	\N	\N	\N	761	\N	\N	Germany	\N	1
102	Haar	113	\N	\N	\N	762	\N	\N	Germany	\N	1
\.


ALTER TABLE apiis_admin.protocols ENABLE TRIGGER ALL;

--
-- Data for Name: transfer; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

ALTER TABLE apiis_admin.transfer DISABLE TRIGGER ALL;

COPY apiis_admin.transfer (db_animal, ext_animal, db_unit, id_set, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) FROM stdin;
1	unknown_sire	100	\N	2007-04-26	\N	2007-04-26 12:30:05	cryo	\N	\N	480	Germany	1	\N
2	unknown_dam	100	\N	2007-04-26	\N	2007-04-26 12:30:05	cryo	\N	\N	481	Germany	1	\N
438	WF60/B0811	100	\N	2007-06-14	\N	2007-04-26 12:30:05	cryo	\N	\N	1958	Germany	1	\N
439	WF60/6532	100	\N	2007-06-14	\N	2007-04-26 12:30:05	cryo	\N	\N	1960	Germany	1	\N
440	WF001265	100	\N	2008-01-16	\N	2007-04-26 12:30:05	cryo	\N	\N	1962	Germany	1	\N
441	DE 09 876	101	\N	2010-01-01	\N	2007-04-26 12:30:05	cryo	\N	\N	1964	Germany	1	\N
441	old-ear-tag	101	\N	2005-01-01	2009-12-31	2007-04-26 12:30:05	cryo	\N	\N	1966	Germany	1	\N
442	O'Brien 7	101	\N	2001-06-01	\N	2007-04-26 12:30:05	cryo	\N	\N	1968	Germany	1	\N
\.


ALTER TABLE apiis_admin.transfer ENABLE TRIGGER ALL;

--
-- Data for Name: unit; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

ALTER TABLE apiis_admin.unit DISABLE TRIGGER ALL;

COPY apiis_admin.unit (db_unit, ext_unit, ext_id, db_contact, db_member, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) FROM stdin;
100	ANIMAL	ID	\N	\N	2007-04-26	\N	\N	\N	\N	\N	478	Germany	1	\N
101	HB	DE-Herdbuch	\N	\N	2007-04-26	\N	\N	\N	\N	\N	479	Germany	1	\N
\.


ALTER TABLE apiis_admin.unit ENABLE TRIGGER ALL;

--
-- Data for Name: vessels; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

ALTER TABLE apiis_admin.vessels DISABLE TRIGGER ALL;

COPY apiis_admin.vessels (db_vessel, ext_vessel, db_animal, protocol_id, production_dt, freezing_dt, db_vessel_type, comment, chk_lvl, dirty, guid, last_change_dt, last_change_user, owner, synch, version, db_contributor) FROM stdin;
1451	MA_052_KR_S_Snh_S03_Mariensee_WF001265_OMS_13.01.04	440	100	2004-01-13	2004-01-13	108	Qualitätsrate (Mot) 87,5 %	\N	\N	8417	2008-12-15 18:29:57	jmoos	Germany	\N	1	\N
1452	EMB-441-1	441	101	2010-06-01	2010-06-01	108	\N	\N	\N	8418	2008-12-15 18:29:57	jmoos	Germany	\N	1	\N
1453	HF-442-1	442	102	\N	\N	108	no date	\N	\N	8419	2008-12-15 18:29:57	jmoos	Germany	\N	1	\N
1454	SEM-442-early	442	100	2000-01-01	2000-01-01	108	\N	\N	\N	8420	2008-12-15 18:29:57	jmoos	Germany	\N	1	\N
\.


ALTER TABLE apiis_admin.vessels ENABLE TRIGGER ALL;

--
-- Data for Name: vessels_storage; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

ALTER TABLE apiis_admin.vessels_storage DISABLE TRIGGER ALL;

COPY apiis_admin.vessels_storage (vessels_storage_id, db_vessel, storage_id, no_units, db_status, comment) FROM stdin;
1	1451	5	3	7	x'); DROP TABLE animal; --
2	1452	5	1	7	\N
\.


ALTER TABLE apiis_admin.vessels_storage ENABLE TRIGGER ALL;

--
-- Name: seq_vessels__db_vessel; Type: SEQUENCE SET; Schema: apiis_admin; Owner: apiis_admin
--

SELECT pg_catalog.setval('apiis_admin.seq_vessels__db_vessel', 1745, true);


--
-- PostgreSQL database dump complete
--

\unrestrict 5pCtest

