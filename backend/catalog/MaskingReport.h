#pragma once

#include <QByteArray>
#include <QJsonObject>

struct OperationRecord;

// The masking report of a refresh, which its runbook log archive carries (masking.json and
// masking.html, a page the console opens from the operation): per column the policy hides,
// the rule and action (and mask kind), the rows its rule changed in that table, and the
// leak scan's result for it; then what the policy covered of the source, with every
// unreviewed column that looks sensitive and every column new since the last refresh.
//
// Promises: built from what the operation recorded (its policy copy, the policy steps'
// reports, Verify's leak scan, Validate's coverage), never from a database: no value of a
// row appears in it, only names and counts. The HTML escapes every name it shows.
namespace MaskingReport {

QJsonObject build(const OperationRecord& operation);
// False when the operation applied no policy that hides anything and has no coverage:
// nothing to report.
bool hasContent(const QJsonObject& report);
QByteArray html(const QJsonObject& report);

} // namespace MaskingReport
