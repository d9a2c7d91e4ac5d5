#pragma once

#include <QByteArray>
#include <QJsonObject>

class Catalog;
struct OperationRecord;

// The evidence pack of an operation, which its runbook log archive carries
// (RunbookArchive: evidence.json and evidence.txt): what an auditor asks for, in one
// place. Who requested it and when; whether it needed a second person's approval, and
// who approved it, when and why (or who rejected it); the data policy it applied and the
// SHA-256 of that very copy; per rule, the rows each table lost, gained or had changed;
// every step with its result (the checks and verifications among them); and the
// catalog's audit entries of the operation (who, role, host).
//
// Promises: built from the catalog alone, as the reading login may see it; never a
// database's rows, a connection string or a credential (only the names of tables and
// the counts of rows).
namespace EvidencePack {

QJsonObject build(Catalog& catalog, const OperationRecord& operation);
// The same, as a person reads it (plain text, one fact a line).
QByteArray text(const QJsonObject& evidence);

} // namespace EvidencePack
