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

INSERT INTO apiis_admin.animal (db_animal, db_sire, db_dam, db_sex, db_breed, db_species, birth_dt, birth_year, latitude, longitude, image_id, db_org, la_rep, la_rep_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch, db_hybrid, comment, file_id) VALUES (438, 1, 2, 118, 317, 313, NULL, NULL, NULL, NULL, NULL, 112, NULL, NULL, '2007-06-14 14:54:36', 'jmoos', NULL, NULL, 1959, 'Germany', 1, NULL, NULL, NULL, NULL);
INSERT INTO apiis_admin.animal (db_animal, db_sire, db_dam, db_sex, db_breed, db_species, birth_dt, birth_year, latitude, longitude, image_id, db_org, la_rep, la_rep_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch, db_hybrid, comment, file_id) VALUES (439, 1, 2, 117, 317, 313, NULL, '1999', NULL, NULL, NULL, 112, NULL, NULL, '2007-06-14 14:55:05', 'jmoos', NULL, NULL, 1961, 'Germany', 1, NULL, NULL, NULL, NULL);
INSERT INTO apiis_admin.animal (db_animal, db_sire, db_dam, db_sex, db_breed, db_species, birth_dt, birth_year, latitude, longitude, image_id, db_org, la_rep, la_rep_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch, db_hybrid, comment, file_id) VALUES (440, 438, 439, 118, 317, 313, '2003-01-16'::date, NULL, 52.034505, 8.939664, NULL, 112, NULL, NULL, '2008-01-16 16:18:14', 'jmoos', NULL, NULL, 1963, 'Germany', 2, NULL, NULL, NULL, NULL);
INSERT INTO apiis_admin.animal (db_animal, db_sire, db_dam, db_sex, db_breed, db_species, birth_dt, birth_year, latitude, longitude, image_id, db_org, la_rep, la_rep_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch, db_hybrid, comment, file_id) VALUES (441, 442, NULL, 119, 359, 341, '2008-03-01', NULL, 51.5, NULL, NULL, 112, NULL, NULL, '2009-01-16 16:18:14', 'jmoos', NULL, NULL, 1965, 'Germany', 1, NULL, NULL, 'Rotes Höhenvieh, it''s "Kuh" mit
zwei Zeilen	und Tab; C:\stall', NULL);
INSERT INTO apiis_admin.animal (db_animal, db_sire, db_dam, db_sex, db_breed, db_species, birth_dt, birth_year, latitude, longitude, image_id, db_org, la_rep, la_rep_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch, db_hybrid, comment, file_id) VALUES (442, 999, 2, NULL, 359, 341, '2001-05-20', NULL, 48.1, 11.6, NULL, 112, NULL, NULL, '2009-01-16 16:18:15', 'jmoos', NULL, NULL, 1967, 'Germany', 1, NULL, NULL, NULL, NULL);


--
-- Data for Name: breeds_species; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO apiis_admin.breeds_species (breed_id, db_breed, db_species, efabis_mcname, efabis_species, efabis_country, efabis_lang, chk_lvl, dirty, guid, last_change_dt, last_change_user, owner, synch, version) VALUES
	(328, 317, 313, 'Ostfriesisches Milchschaf', 'Sheep', 'Germany', 'en', NULL, NULL, 7945, NULL, NULL, 'Germany', NULL, 1),
	(100, 358, 341, 'Aberdeen Angus', 'Cattle', 'Germany', 'en', NULL, NULL, 7500, NULL, NULL, 'Germany', NULL, 2),
	(101, 359, 341, 'Rotes Höhenvieh', 'Cattle', 'Germany', 'de', NULL, NULL, 7501, NULL, NULL, 'Germany', NULL, 1);


--
-- Data for Name: codes; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO apiis_admin.codes (ext_code, class, db_code, short_name, long_name, description, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES ('f', 'SEX', 117, 'weiblich', 'female', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 517, 'Germany', 1, NULL);
INSERT INTO apiis_admin.codes (ext_code, class, db_code, short_name, long_name, description, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES ('m', 'SEX', 118, 'maennlich', 'male', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 518, 'Germany', 1, NULL);
INSERT INTO apiis_admin.codes (ext_code, class, db_code, short_name, long_name, description, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES ('u', 'SEX', 119, 'unbekannt', 'unknown', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 519, 'Germany', 1, NULL);
INSERT INTO apiis_admin.codes (ext_code, class, db_code, short_name, long_name, description, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES ('Sheep', 'SPECIES', 313, 'Schaf', 'Sheep', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 713, 'Germany', 1, NULL);
INSERT INTO apiis_admin.codes (ext_code, class, db_code, short_name, long_name, description, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES ('Cattle', 'SPECIES', 341, 'Rind', 'Cattle', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 741, 'Germany', 1, NULL);
INSERT INTO apiis_admin.codes (ext_code, class, db_code, short_name, long_name, description, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES ('Ostfr. Milchschaf', 'BREED', 317, 'OMS', 'Ostfr. Milchschaf', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 717, 'Germany', 1, NULL);
INSERT INTO apiis_admin.codes (ext_code, class, db_code, short_name, long_name, description, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES ('Aberdeen Angus', 'BREED', 358, 'AA', 'Aberdeen Angus', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 758, 'Germany', 1, NULL);
INSERT INTO apiis_admin.codes (ext_code, class, db_code, short_name, long_name, description, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES ('Rotes Höhenvieh', 'BREED', 359, 'RHV', 'Rotes Höhenvieh', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 759, 'Germany', 1, NULL);
INSERT INTO apiis_admin.codes (ext_code, class, db_code, short_name, long_name, description, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES ('Germany', 'COUNTRY', 107, 'Deutschland', 'Germany', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 507, 'Germany', 1, NULL);
INSERT INTO apiis_admin.codes (ext_code, class, db_code, short_name, long_name, description, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES ('Semen', 'CRYO_TYPE', 111, 'Sperma', 'Semen', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 511, 'Germany', 1, NULL);
INSERT INTO apiis_admin.codes (ext_code, class, db_code, short_name, long_name, description, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES ('Embryo', 'CRYO_TYPE', 112, 'Embryo', 'Embryo', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 512, 'Germany', 1, NULL);
INSERT INTO apiis_admin.codes (ext_code, class, db_code, short_name, long_name, description, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES ('Hair Follicles', 'CRYO_TYPE', 113, 'Haarwurzeln', 'Hair follicles', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 513, 'Germany', 1, NULL);
INSERT INTO apiis_admin.codes (ext_code, class, db_code, short_name, long_name, description, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES ('Straw 0.25', 'VESSEL_TYPE', 108, 'Straw 0.25', 'Straw 0.25', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 508, 'Germany', 1, NULL);


--
-- Data for Name: nodes; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO apiis_admin.nodes (nodename, address, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES ('Germany', '127.0.0.1', '2008-12-04 09:28:01', '', NULL, NULL, 143, 'Germany', 1, NULL);


--
-- Data for Name: protocols; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO apiis_admin.protocols (protocol_id, protocol_name, db_material_type, comment, chk_lvl, dirty, guid, last_change_dt, last_change_user, owner, synch, version) VALUES (100, 'NHS_Kryoprotokoll_Schafe_2004', 111, 'Nebenhodenschwanzsperma Schafböcke', NULL, NULL, 760, NULL, NULL, 'Germany', NULL, 11);
INSERT INTO apiis_admin.protocols (protocol_id, protocol_name, db_material_type, comment, chk_lvl, dirty, guid, last_change_dt, last_change_user, owner, synch, version) VALUES (101, 'Embryo_2010', 112, NULL, NULL, NULL, 761, NULL, NULL, 'Germany', NULL, 1);
INSERT INTO apiis_admin.protocols (protocol_id, protocol_name, db_material_type, comment, chk_lvl, dirty, guid, last_change_dt, last_change_user, owner, synch, version) VALUES (102, 'Haar', 113, NULL, NULL, NULL, 762, NULL, NULL, 'Germany', NULL, 1);


--
-- Data for Name: transfer; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO apiis_admin.transfer (db_animal, ext_animal, db_unit, id_set, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES
	(1, 'unknown_sire', 100, NULL, '2007-04-26', NULL, '2007-04-26 12:30:05', 'cryo', NULL, NULL, 480, 'Germany', 1, NULL),
	(2, 'unknown_dam', 100, NULL, '2007-04-26', NULL, '2007-04-26 12:30:05', 'cryo', NULL, NULL, 481, 'Germany', 1, NULL),
	(438, 'WF60/B0811', 100, NULL, '2007-06-14', NULL, '2007-04-26 12:30:05', 'cryo', NULL, NULL, 1958, 'Germany', 1, NULL),
	(439, 'WF60/6532', 100, NULL, '2007-06-14', NULL, '2007-04-26 12:30:05', 'cryo', NULL, NULL, 1960, 'Germany', 1, NULL),
	(440, 'WF001265', 100, NULL, '2008-01-16', NULL, '2007-04-26 12:30:05', 'cryo', NULL, NULL, 1962, 'Germany', 1, NULL),
	(441, 'DE 09 876', 101, NULL, '2010-01-01', NULL, '2007-04-26 12:30:05', 'cryo', NULL, NULL, 1964, 'Germany', 1, NULL),
	(441, 'old-ear-tag', 101, NULL, '2005-01-01', '2009-12-31', '2007-04-26 12:30:05', 'cryo', NULL, NULL, 1966, 'Germany', 1, NULL),
	(442, 'O''Brien 7', 101, NULL, '2001-06-01', NULL, '2007-04-26 12:30:05', 'cryo', NULL, NULL, 1968, 'Germany', 1, NULL);


--
-- Data for Name: unit; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO apiis_admin.unit (db_unit, ext_unit, ext_id, db_contact, db_member, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES (100, 'ANIMAL', 'ID', NULL, NULL, '2007-04-26', NULL, NULL, NULL, NULL, NULL, 478, 'Germany', 1, NULL);
INSERT INTO apiis_admin.unit (db_unit, ext_unit, ext_id, db_contact, db_member, opening_dt, closing_dt, last_change_dt, last_change_user, dirty, chk_lvl, guid, owner, version, synch) VALUES (101, 'HB', E'DE-Herd\x62uch', NULL, NULL, '2007-04-26', NULL, NULL, NULL, NULL, NULL, 479, 'Germany', 1, NULL);


--
-- Data for Name: vessels; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO apiis_admin.vessels (db_vessel, ext_vessel, db_animal, protocol_id, production_dt, freezing_dt, db_vessel_type, comment, chk_lvl, dirty, guid, last_change_dt, last_change_user, owner, synch, version, db_contributor) VALUES (1451, 'MA_052_KR_S_Snh_S03_Mariensee_WF001265_OMS_13.01.04', 440, 100, '2004-01-13', '2004-01-13', 108, 'Qualitätsrate (Mot) 87,5 %', NULL, NULL, 8417, '2008-12-15 18:29:57', 'jmoos', 'Germany', NULL, 1, NULL);
INSERT INTO apiis_admin.vessels (db_vessel, ext_vessel, db_animal, protocol_id, production_dt, freezing_dt, db_vessel_type, comment, chk_lvl, dirty, guid, last_change_dt, last_change_user, owner, synch, version, db_contributor) VALUES (1452, 'EMB-441-1', 441, 101, '2010-06-01', '2010-06-01', 108, NULL, NULL, NULL, 8418, '2008-12-15 18:29:57', 'jmoos', 'Germany', NULL, 1, NULL) ON CONFLICT DO NOTHING;
INSERT INTO apiis_admin.vessels (db_vessel, ext_vessel, db_animal, protocol_id, production_dt, freezing_dt, db_vessel_type, comment, chk_lvl, dirty, guid, last_change_dt, last_change_user, owner, synch, version, db_contributor) VALUES (1453, 'HF-442-1', 442, 102, NULL, NULL, 108, 'no date', NULL, NULL, 8419, '2008-12-15 18:29:57', 'jmoos', 'Germany', NULL, 1, NULL);
INSERT INTO apiis_admin.vessels (db_vessel, ext_vessel, db_animal, protocol_id, production_dt, freezing_dt, db_vessel_type, comment, chk_lvl, dirty, guid, last_change_dt, last_change_user, owner, synch, version, db_contributor) VALUES (1454, 'SEM-442-early', 442, 100, '2000-01-01', '2000-01-01', 108, NULL, NULL, NULL, 8420, '2008-12-15 18:29:57', 'jmoos', 'Germany', NULL, 1, NULL);


--
-- Data for Name: vessels_storage; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO apiis_admin.vessels_storage (vessels_storage_id, db_vessel, storage_id, no_units, db_status, comment) VALUES (1, 1451, 5, 3, 7, 'x''); DROP TABLE animal; --');
INSERT INTO apiis_admin.vessels_storage (vessels_storage_id, db_vessel, storage_id, no_units, db_status, comment) VALUES (2, 1452, 5, 1, 7, NULL);


--
-- Name: seq_vessels__db_vessel; Type: SEQUENCE SET; Schema: apiis_admin; Owner: apiis_admin
--

SELECT pg_catalog.setval('apiis_admin.seq_vessels__db_vessel', 1745, true);


--
-- PostgreSQL database dump complete
--

\unrestrict 5pCtest

