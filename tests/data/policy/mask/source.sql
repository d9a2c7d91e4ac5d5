CREATE TABLE CONTACT (RECID INTEGER PRIMARY KEY, NAME TEXT, EMAIL TEXT UNIQUE, PHONE TEXT, CREDITLIMIT INTEGER,
                      NOTE TEXT, KIND INTEGER);
CREATE TABLE SALESORDER (RECID INTEGER PRIMARY KEY, CUSTEMAIL TEXT, CUSTNAME TEXT, AMOUNT REAL);
INSERT INTO CONTACT VALUES
  (1, 'Alice Martin', 'alice.martin@contoso.com', '+1 (425) 555-0100', 25000, 'VIP', 1),
  (2, 'Bob Stone', 'bob@fabrikam.com', '0049 89 1234 5678 90 12 34 56 78 90 12 34 56 78 90 12', -750, 'Ext. 12', 1),
  (3, 'Alice Martin', 'alice.martin2@contoso.com', NULL, 7, '', 1),
  (4, NULL, '', '８０３-５５５-０１００', 0, 'Ünïcode ☃ AbC-9', 1),
  (5, 'Service account', 'svc@contoso.com', '555', 123456789012345678, 'kept', 9);
INSERT INTO SALESORDER VALUES
  (1, 'alice.martin@contoso.com', 'Alice Martin', 120.0),
  (2, 'bob@fabrikam.com', 'Bob Stone', 99.0),
  (3, 'nobody@example.org', NULL, NULL);
