-- The target (UAT) before the refresh: its own server rows, no batch server groups, no DOCUVALUE table,
-- a printer table spelled in lower case with an extra column, and customers that the refresh replaces.
CREATE TABLE SYSSERVERCONFIG (RECID INTEGER PRIMARY KEY, SERVERID TEXT, ENABLEBATCH INTEGER, MAXSESSIONS INTEGER);
CREATE TABLE BATCHSERVERGROUP (RECID INTEGER PRIMARY KEY, GROUPID TEXT, SERVERID TEXT);
CREATE TABLE syscorpnetprinters (recid INTEGER PRIMARY KEY, printername TEXT, printerdevice TEXT, driver TEXT);
CREATE TABLE CUSTTABLE (RECID INTEGER PRIMARY KEY, ACCOUNTNUM TEXT, NAME TEXT);
INSERT INTO SYSSERVERCONFIG VALUES (7, 'UAT-AOS1', 1, 50);
INSERT INTO syscorpnetprinters VALUES (3, 'UAT printer', '\\uat-print\p1', 'PCL6'), (4, 'UAT label', NULL, 'ZPL');
INSERT INTO CUSTTABLE VALUES (1, 'C-001', 'Old name in UAT');
