-- Reprovisioning works on the channel database and data group named Default:
-- LCS refuses to run it when they were renamed.
SELECT EXISTS (SELECT 1 FROM "RETAILCONNDATABASEPROFILE" WHERE "NAME" = 'Default')
   AND EXISTS (SELECT 1 FROM "RETAILCDXDATAGROUP" WHERE "NAME" = 'Default');
