-- The Default channel database record points at this environment's Commerce Scale
-- Unit and channel database. :environment is the target environment's id, sent as a
-- value (never spliced into the SQL).
UPDATE "RETAILCONNDATABASEPROFILE"
   SET "CONNECTIONSTRING" = 'Server=tcp:' || :environment || '-csu.database.windows.net;Database='
                            || :environment || '-channel;Authentication=Active Directory Managed Identity'
 WHERE "NAME" = 'Default';
