-- A first rating from the credit limit; the note keeps a ';' to show that statements
-- are split by SQLite's parser, not by a search for semicolons.
UPDATE CUSTTABLE
   SET CREDITRATING = CASE WHEN CREDITMAX >= 250000 THEN 'A'
                           WHEN CREDITMAX >= 50000 THEN 'B'
                           ELSE 'C' END;

INSERT INTO CUSTCREDITRATINGHISTORY (DATAAREAID, CUSTACCOUNT, RATING, VALIDFROM, NOTE)
SELECT DATAAREAID, ACCOUNTNUM, CREDITRATING, '2024-01-01', 'initial rating; from CREDITMAX by 10.0.41'
  FROM CUSTTABLE;
