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
SET search_path = apiis_admin, pg_catalog;
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

\connect cryoweb

--
-- Data for Name: animal; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO animal VALUES (438, 1, 2, 118, 317, 313, NULL, NULL, NULL, NULL, NULL, 112, NULL, NULL, '2007-06-14 14:54:36', 'jmoos', NULL, NULL, 1959, 'Germany', 1, NULL, NULL, NULL, NULL);
INSERT INTO animal VALUES (439, 1, 2, 117, 317, 313, NULL, '1999', NULL, NULL, NULL, 112, NULL, NULL, '2007-06-14 14:55:05', 'jmoos', NULL, NULL, 1961, 'Germany', 1, NULL, NULL, NULL, NULL);
INSERT INTO animal VALUES (440, 438, 439, 118, 317, 313, '2003-01-16', NULL, 52.034505, 8.939664, NULL, 112, NULL, NULL, '2008-01-16 16:18:14', 'jmoos', NULL, NULL, 1963, 'Germany', 2, NULL, NULL, NULL, NULL);
INSERT INTO animal VALUES (441, 442, NULL, 119, 359, 341, '2008-03-01', NULL, 51.5, NULL, NULL, 112, NULL, NULL, '2009-01-16 16:18:14', 'jmoos', NULL, NULL, 1965, 'Germany', 1, NULL, NULL, 'Rotes Höhenvieh, it''s "Kuh" mit
zwei Zeilen	und Tab; C:\stall', NULL);
INSERT INTO animal VALUES (442, 999, 2, NULL, 359, 341, '2001-05-20', NULL, 48.1, 11.6, NULL, 112, NULL, NULL, '2009-01-16 16:18:15', 'jmoos', NULL, NULL, 1967, 'Germany', 1, NULL, NULL, NULL, NULL);


--
-- Data for Name: breeds_species; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO breeds_species VALUES (328, 317, 313, 'Ostfriesisches Milchschaf', 'Sheep', 'Germany', 'en', NULL, NULL, 7945, NULL, NULL, 'Germany', NULL, 1);
INSERT INTO breeds_species VALUES (100, 358, 341, 'Aberdeen Angus', 'Cattle', 'Germany', 'en', NULL, NULL, 7500, NULL, NULL, 'Germany', NULL, 2);
INSERT INTO breeds_species VALUES (101, 359, 341, 'Rotes Höhenvieh', 'Cattle', 'Germany', 'de', NULL, NULL, 7501, NULL, NULL, 'Germany', NULL, 1);


--
-- Data for Name: codes; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO codes VALUES ('f', 'SEX', 117, 'weiblich', 'female', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 517, 'Germany', 1, NULL);
INSERT INTO codes VALUES ('m', 'SEX', 118, 'maennlich', 'male', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 518, 'Germany', 1, NULL);
INSERT INTO codes VALUES ('u', 'SEX', 119, 'unbekannt', 'unknown', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 519, 'Germany', 1, NULL);
INSERT INTO codes VALUES ('Sheep', 'SPECIES', 313, 'Schaf', 'Sheep', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 713, 'Germany', 1, NULL);
INSERT INTO codes VALUES ('Cattle', 'SPECIES', 341, 'Rind', 'Cattle', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 741, 'Germany', 1, NULL);
INSERT INTO codes VALUES ('Ostfr. Milchschaf', 'BREED', 317, 'OMS', 'Ostfr. Milchschaf', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 717, 'Germany', 1, NULL);
INSERT INTO codes VALUES ('Aberdeen Angus', 'BREED', 358, 'AA', 'Aberdeen Angus', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 758, 'Germany', 1, NULL);
INSERT INTO codes VALUES ('Rotes Höhenvieh', 'BREED', 359, 'RHV', 'Rotes Höhenvieh', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 759, 'Germany', 1, NULL);
INSERT INTO codes VALUES ('Germany', 'COUNTRY', 107, 'Deutschland', 'Germany', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 507, 'Germany', 1, NULL);
INSERT INTO codes VALUES ('Semen', 'CRYO_TYPE', 111, 'Sperma', 'Semen', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 511, 'Germany', 1, NULL);
INSERT INTO codes VALUES ('Embryo', 'CRYO_TYPE', 112, 'Embryo', 'Embryo', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 512, 'Germany', 1, NULL);
INSERT INTO codes VALUES ('Hair Follicles', 'CRYO_TYPE', 113, 'Haarwurzeln', 'Hair follicles', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 513, 'Germany', 1, NULL);
INSERT INTO codes VALUES ('Straw 0.25', 'VESSEL_TYPE', 108, 'Straw 0.25', 'Straw 0.25', NULL, '2007-04-26', NULL, '2008-12-08 10:56:08', 'manager', NULL, NULL, 508, 'Germany', 1, NULL);


--
-- Data for Name: nodes; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO nodes VALUES ('Germany', '127.0.0.1', '2008-12-04 09:28:01', '', NULL, NULL, 143, 'Germany', 1, NULL);


--
-- Data for Name: protocols; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO protocols VALUES (100, 'NHS_Kryoprotokoll_Schafe_2004', 111, 'Nebenhodenschwanzsperma Schafböcke', NULL, NULL, 760, NULL, NULL, 'Germany', NULL, 11);
INSERT INTO protocols VALUES (101, 'Embryo_2010', 112, NULL, NULL, NULL, 761, NULL, NULL, 'Germany', NULL, 1);
INSERT INTO protocols VALUES (102, 'Haar', 113, NULL, NULL, NULL, 762, NULL, NULL, 'Germany', NULL, 1);


--
-- Data for Name: transfer; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO transfer VALUES (1, 'unknown_sire', 100, NULL, '2007-04-26', NULL, '2007-04-26 12:30:05', 'cryo', NULL, NULL, 480, 'Germany', 1, NULL);
INSERT INTO transfer VALUES (2, 'unknown_dam', 100, NULL, '2007-04-26', NULL, '2007-04-26 12:30:05', 'cryo', NULL, NULL, 481, 'Germany', 1, NULL);
INSERT INTO transfer VALUES (438, 'WF60/B0811', 100, NULL, '2007-06-14', NULL, '2007-04-26 12:30:05', 'cryo', NULL, NULL, 1958, 'Germany', 1, NULL);
INSERT INTO transfer VALUES (439, 'WF60/6532', 100, NULL, '2007-06-14', NULL, '2007-04-26 12:30:05', 'cryo', NULL, NULL, 1960, 'Germany', 1, NULL);
INSERT INTO transfer VALUES (440, 'WF001265', 100, NULL, '2008-01-16', NULL, '2007-04-26 12:30:05', 'cryo', NULL, NULL, 1962, 'Germany', 1, NULL);
INSERT INTO transfer VALUES (441, 'DE 09 876', 101, NULL, '2010-01-01', NULL, '2007-04-26 12:30:05', 'cryo', NULL, NULL, 1964, 'Germany', 1, NULL);
INSERT INTO transfer VALUES (441, 'old-ear-tag', 101, NULL, '2005-01-01', '2009-12-31', '2007-04-26 12:30:05', 'cryo', NULL, NULL, 1966, 'Germany', 1, NULL);
INSERT INTO transfer VALUES (442, 'O''Brien 7', 101, NULL, '2001-06-01', NULL, '2007-04-26 12:30:05', 'cryo', NULL, NULL, 1968, 'Germany', 1, NULL);


--
-- Data for Name: unit; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO unit VALUES (100, 'ANIMAL', 'ID', NULL, NULL, '2007-04-26', NULL, NULL, NULL, NULL, NULL, 478, 'Germany', 1, NULL);
INSERT INTO unit VALUES (101, 'HB', 'DE-Herdbuch', NULL, NULL, '2007-04-26', NULL, NULL, NULL, NULL, NULL, 479, 'Germany', 1, NULL);


--
-- Data for Name: vessels; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO vessels VALUES (1451, 'MA_052_KR_S_Snh_S03_Mariensee_WF001265_OMS_13.01.04', 440, 100, '2004-01-13', '2004-01-13', 108, 'Qualitätsrate (Mot) 87,5 %', NULL, NULL, 8417, '2008-12-15 18:29:57', 'jmoos', 'Germany', NULL, 1);
INSERT INTO vessels VALUES (1452, 'EMB-441-1', 441, 101, '2010-06-01', '2010-06-01', 108, NULL, NULL, NULL, 8418, '2008-12-15 18:29:57', 'jmoos', 'Germany', NULL, 1);
INSERT INTO vessels VALUES (1453, 'HF-442-1', 442, 102, NULL, NULL, 108, 'no date', NULL, NULL, 8419, '2008-12-15 18:29:57', 'jmoos', 'Germany', NULL, 1);
INSERT INTO vessels VALUES (1454, 'SEM-442-early', 442, 100, '2000-01-01', '2000-01-01', 108, NULL, NULL, NULL, 8420, '2008-12-15 18:29:57', 'jmoos', 'Germany', NULL, 1);


--
-- Data for Name: vessels_storage; Type: TABLE DATA; Schema: apiis_admin; Owner: apiis_admin
--

INSERT INTO vessels_storage VALUES (1, 1451, 5, 3, 7, 'x''); DROP TABLE animal; --');
INSERT INTO vessels_storage VALUES (2, 1452, 5, 1, 7, NULL);


--
-- Name: seq_vessels__db_vessel; Type: SEQUENCE SET; Schema: apiis_admin; Owner: apiis_admin
--

SELECT pg_catalog.setval('seq_vessels__db_vessel', 1745, true);


--
-- PostgreSQL database dump complete
--

\unrestrict 5pCtest

