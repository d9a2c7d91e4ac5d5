-- Every POS device must be activated again against this environment: pending, no token.
UPDATE "RETAILDEVICE" SET "ACTIVATIONSTATUS" = 0, "TOKEN" = ''
 WHERE "ACTIVATIONSTATUS" <> 0 OR "TOKEN" IS DISTINCT FROM '';

-- The self-service installers are registered again when the deployable package with
-- them is applied; the records copied along belong to another environment.
DELETE FROM "RETAILSELFSERVICEPACKAGEINFO";
