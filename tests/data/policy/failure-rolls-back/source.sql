-- Rule "one" succeeds; rule "two" updates B, then fails on C (two rows cannot both get the
-- UNIQUE value 5, which no check of the schema can foresee): B is rolled back with it,
-- "one" stays applied and "three" never runs.
CREATE TABLE A (RECID INTEGER PRIMARY KEY, V INTEGER);
CREATE TABLE B (RECID INTEGER PRIMARY KEY, V INTEGER);
CREATE TABLE C (RECID INTEGER PRIMARY KEY, V INTEGER UNIQUE);
CREATE TABLE D (RECID INTEGER PRIMARY KEY, V INTEGER);
INSERT INTO A VALUES (1, 1), (2, 2);
INSERT INTO B VALUES (1, 1), (2, 2);
INSERT INTO C VALUES (1, 1), (2, 2);
INSERT INTO D VALUES (1, 1), (2, 2);
