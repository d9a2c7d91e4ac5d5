-- A schema the default policy does not fit (most of its tables are missing, USERINFO lacks PARTITION):
-- the apply is refused before anything is touched.
CREATE TABLE USERINFO (RECID INTEGER PRIMARY KEY, ID TEXT UNIQUE NOT NULL, NAME TEXT, ENABLE INTEGER NOT NULL,
                       NETWORKDOMAIN TEXT, NETWORKALIAS TEXT);
CREATE TABLE BATCHJOBHISTORY (RECID INTEGER PRIMARY KEY, CAPTION TEXT);
INSERT INTO USERINFO VALUES (1, 'Admin', 'Administrator', 0, NULL, NULL), (2, 'alice', 'Alice', 1, NULL, NULL);
INSERT INTO BATCHJOBHISTORY VALUES (1, 'Invoice posting');
