#pragma once

#include "policy/PolicyContext.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>

// The golden cases of tests/data/policy (see its README.md), read the same way by the
// SQLite test (tst_policyapplier) and the PostgreSQL one (tst_postgrespolicygolden):
// expected rows as canonical JSON lines, the context a case applies, the file names of
// its tables. Each test dumps its own engine's rows in the same canonical form.
namespace PolicyGolden {

QByteArray readFile(const QString& path);
// The lines of `text` that hold something, trimmed.
QStringList nonEmptyLines(const QByteArray& text);
// "name" with embedded double quotes doubled.
QString quoted(const QString& identifier);
// One row as compact JSON: the form both the expected files and the dumps take.
QString canonical(const QJsonObject& row);
// expected/<table>.jsonl: one JSON object per line, re-serialised canonically; empty
// with `error` set when a line is not a JSON object.
QStringList readExpectedRows(const QString& path, QString* error);
// context.json of the case, or the demo's administrator and tenant.
PolicyContext readContext(const QString& path);
// Table names become file names with anything unusual percent-encoded ("we%22ird.jsonl").
QString tableFromFileName(const QString& fileName);

} // namespace PolicyGolden
