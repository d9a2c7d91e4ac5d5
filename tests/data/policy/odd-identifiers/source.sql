-- Names that only work quoted: keywords, spaces, double quotes, mixed case, non-ASCII.
-- The policy spells them in another case; SQLite matches ASCII letters case-insensitively.
CREATE TABLE "order" (RECID INTEGER PRIMARY KEY, "select" TEXT, "group by" TEXT);
CREATE TABLE "Mixed Case Table" (RECID INTEGER PRIMARY KEY, "Straße" TEXT, "we""ird" TEXT);
CREATE TABLE "we""ird" (RECID INTEGER PRIMARY KEY, "a;b" TEXT);
CREATE TABLE "日本" (RECID INTEGER PRIMARY KEY, "名前" TEXT);
CREATE TABLE "People" (RECID INTEGER PRIMARY KEY, "login" TEXT, "active" INTEGER, "e-mail" TEXT, "tenant id" TEXT);
INSERT INTO "order" VALUES (1, 'keep', 'y'), (2, 'wipe', 'x'), (3, 'wipe too', 'x');
INSERT INTO "Mixed Case Table" VALUES (1, 'Köln', 'a'), (2, 'München', 'b'), (3, NULL, 'c');
INSERT INTO "we""ird" VALUES (1, 'x'), (2, 'y');
INSERT INTO "日本" VALUES (1, '東京 (source)');
INSERT INTO "People" VALUES (1, 'root', 0, 'root@prod', 'prod'), (2, 'guest', 1, 'guest@prod', 'prod');
