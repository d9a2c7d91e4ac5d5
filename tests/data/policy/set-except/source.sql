CREATE TABLE USERINFO (RECID INTEGER PRIMARY KEY, ID TEXT UNIQUE NOT NULL, NAME TEXT, ENABLE INTEGER NOT NULL,
                       NETWORKDOMAIN TEXT, NETWORKALIAS TEXT, COMPANY TEXT, PARTITION INTEGER NOT NULL);
CREATE TABLE BATCHJOB (RECID INTEGER PRIMARY KEY, CAPTION TEXT, STATUS INTEGER, ORIGSTARTDATETIME TEXT,
                       RECURRENCEDATA TEXT, COMPANY TEXT);
CREATE TABLE RETAILDEVICE (RECID INTEGER PRIMARY KEY, DEVICEID TEXT, ACTIVATIONSTATUS INTEGER, TOKEN TEXT);
CREATE TABLE DMFRECURRINGJOB (RECID INTEGER PRIMARY KEY, NAME TEXT, ENABLED INTEGER, PENDINGMESSAGES INTEGER);
INSERT INTO USERINFO VALUES
  (1, 'Admin', 'Administrator', 1, 'https://sts.windows.net/', 'admin@contoso.onmicrosoft.com', 'USMF', 1),
  (2, 'RetailServiceAccount', 'Retail service', 1, NULL, NULL, 'USMF', 1),
  (3, 'FRServiceUser', 'Financial reporting', 1, NULL, NULL, 'USMF', 1),
  (4, 'alice', 'Alice', 1, 'https://sts.windows.net/', 'alice@contoso.com', 'USMF', 1),
  (5, 'bob', 'Bob', 0, 'https://sts.windows.net/', 'bob@contoso.com', 'USMF', 1),
  (6, 'admin2', 'Second admin', 1, 'https://sts.windows.net/', 'admin2@contoso.com', 'USMF', 1);
INSERT INTO BATCHJOB VALUES (1, 'Invoice posting', 1, '2026-01-01T01:00:00Z', NULL, 'USMF'),
                            (2, 'Cleanup', 2, NULL, 'daily', 'USMF'),
                            (3, 'Reports', 0, NULL, NULL, 'USMF'),
                            (4, 'Broken', NULL, NULL, NULL, 'USMF');
INSERT INTO RETAILDEVICE VALUES (1, 'HOUSTON-1', 1, 'tok-1'), (2, 'HOUSTON-2', 0, NULL), (3, 'SEATTLE-1', 2, 'tok-3');
INSERT INTO DMFRECURRINGJOB VALUES (1, 'Export customers', 1, 0), (2, 'Import orders', 1, 12),
                                   (3, 'Keep', 1, 0), (4, 'Off', 0, 0);
