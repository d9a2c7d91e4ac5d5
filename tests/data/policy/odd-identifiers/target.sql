CREATE TABLE "日本" (RECID INTEGER PRIMARY KEY, "名前" TEXT);
INSERT INTO "日本" VALUES (5, '大阪 (target)'), (6, '京都 (target)');
