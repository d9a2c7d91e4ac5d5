CREATE TABLE LOGISTICSELECTRONICADDRESS (RECID INTEGER PRIMARY KEY, LOCATION INTEGER, TYPE INTEGER, LOCATOR TEXT,
                                         DESCRIPTION TEXT, ISPRIMARY INTEGER);
CREATE TABLE SYSEMAILPARAMETERS (RECID INTEGER PRIMARY KEY, SMTPRELAYSERVERNAME TEXT, SMTPPORTNUMBER INTEGER,
                                 SMTPUSERNAME TEXT);
CREATE TABLE PERSONNELINTEGRATIONCONFIGURATION (RECID INTEGER PRIMARY KEY, NAME TEXT, CONNECTIONSTRING TEXT);
INSERT INTO LOGISTICSELECTRONICADDRESS VALUES
  (1, 100, 1, '+1 425 555 0100', 'Main phone', 1),
  (2, 100, 2, 'sales@contoso.com', 'Sales email', 1),
  (3, 101, 2, NULL, 'Email not filled in', 0),
  (4, 101, 3, 'https://contoso.com', 'Web site', 1),
  (5, 102, NULL, 'unknown kind', NULL, 0),
  (6, 102, 2, 'ap@fabrikam.com', 'Payables', 0),
  (7, 103, 5, '+1 425 555 0199', 'Fax', 0);
INSERT INTO SYSEMAILPARAMETERS VALUES (1, 'smtp.office365.com', 587, 'mailer@contoso.com');
INSERT INTO PERSONNELINTEGRATIONCONFIGURATION VALUES
  (1, 'Payroll', 'Server=payroll.contoso.com;User=svc;Password=hunter2'),
  (2, 'Keep me', 'Server=localhost'),
  (3, NULL, 'Server=hr.contoso.com');
