CREATE TABLE USERINFO (RECID INTEGER PRIMARY KEY, ID TEXT UNIQUE NOT NULL, NAME TEXT, ENABLE INTEGER NOT NULL,
                       NETWORKDOMAIN TEXT, NETWORKALIAS TEXT, COMPANY TEXT, PARTITION INTEGER NOT NULL);
INSERT INTO USERINFO VALUES
  (1, 'Admin', 'Administrator', 0, 'https://sts.windows.net/', 'admin@contoso.onmicrosoft.com', 'USMF', 1),
  (2, 'alice', 'Alice', 1, 'https://sts.windows.net/', 'alice@contoso.com', 'USMF', 1),
  (3, 'ADMIN', 'Not the admin: IDs compare exactly', 0, NULL, NULL, 'USMF', 1);
