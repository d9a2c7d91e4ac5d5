#include "catalog/MaskingReport.h"

#include "operation/OperationRecord.h"
#include "policy/DataPolicy.h"

#include <QJsonArray>
#include <QJsonDocument>

namespace MaskingReport {

namespace {

// Rows the rule `ruleId` changed in `table`, from the policy steps' reports; -1 if not reported.
qint64 rowsChanged(const QJsonObject& reports, const QString& ruleId, const QString& table)
{
    for (auto it = reports.begin(); it != reports.end(); ++it) {
        for (const QJsonValue& r : it.value().toObject().value(QStringLiteral("rules")).toArray()) {
            if (r.toObject().value(QStringLiteral("id")).toString() != ruleId)
                continue;
            for (const QJsonValue& t : r.toObject().value(QStringLiteral("tables")).toArray()) {
                const QJsonObject o = t.toObject();
                if (o.value(QStringLiteral("table")).toString().compare(table, Qt::CaseInsensitive) == 0)
                    return o.value(QStringLiteral("updated")).toInteger() + o.value(QStringLiteral("deleted")).toInteger();
            }
        }
    }
    return -1;
}

QJsonObject scanned(const QJsonObject& leakScan, const QString& table, const QString& column)
{
    for (const QJsonValue& c : leakScan.value(QStringLiteral("columns")).toArray()) {
        const QJsonObject o = c.toObject();
        if (o.value(QStringLiteral("table")).toString().compare(table, Qt::CaseInsensitive) == 0 &&
            o.value(QStringLiteral("column")).toString().compare(column, Qt::CaseInsensitive) == 0)
            return o;
    }
    return {};
}

QString esc(const QJsonValue& v)
{
    return v.toVariant().toString().toHtmlEscaped();
}

} // namespace

QJsonObject build(const OperationRecord& op)
{
    const QByteArray policyBytes =
        QByteArray::fromBase64(op.params.value(QStringLiteral("policyBase64")).toString().toLatin1());
    const std::optional<DataPolicy> policy = DataPolicy::fromJson(policyBytes, nullptr);
    const QJsonObject reports = op.params.value(QStringLiteral("policyReport")).toObject();
    const QJsonObject leakScan = op.params.value(QStringLiteral("leakScan")).toObject();
    QJsonArray columns;
    if (policy) {
        for (const PolicyRule& rule : policy->rules()) {
            if (!rule.changesValues() && rule.action != PolicyRule::Action::Exclude)
                continue;
            for (const QString& table : rule.tables) {
                const qint64 rows = rowsChanged(reports, rule.id, table);
                const QStringList written =
                    rule.action == PolicyRule::Action::Exclude ? QStringList{QStringLiteral("*")} : rule.columnsWritten();
                for (int i = 0; i < written.size(); ++i) {
                    QJsonObject c{{QStringLiteral("table"), table},
                                  {QStringLiteral("column"), written.at(i)},
                                  {QStringLiteral("rule"), rule.id},
                                  {QStringLiteral("action"), PolicyRule::actionName(rule.action)},
                                  {QStringLiteral("rows"), rows}};
                    if (rule.action == PolicyRule::Action::Mask)
                        c.insert(QStringLiteral("mask"), rule.maskKinds.value(i));
                    const QJsonObject scan = scanned(leakScan, table, written.at(i));
                    if (!scan.isEmpty()) {
                        const QJsonArray found = scan.value(QStringLiteral("foundIn")).toArray();
                        c.insert(QStringLiteral("leakScan"),
                                 found.isEmpty() ? QStringLiteral("%1 sampled values found nowhere")
                                                       .arg(scan.value(QStringLiteral("sampled")).toInt())
                                                 : QStringLiteral("found in ") +
                                                       found.toVariantList().first().toString());
                        c.insert(QStringLiteral("leaked"), !found.isEmpty());
                    } else {
                        c.insert(QStringLiteral("leakScan"), leakScan.isEmpty()
                                                                 ? QStringLiteral("not scanned")
                                                                 : QStringLiteral("not sought (no text values, or "
                                                                                  "nothing that looks sensitive)"));
                    }
                    columns.append(c);
                }
            }
        }
    }
    QJsonObject report{{QStringLiteral("operation"), op.id},
                       {QStringLiteral("source"), op.source},
                       {QStringLiteral("target"), op.target},
                       {QStringLiteral("columns"), columns}};
    if (!leakScan.isEmpty())
        report.insert(QStringLiteral("leakScan"), leakScan);
    const QJsonObject coverage = op.params.value(QStringLiteral("coverage")).toObject();
    if (!coverage.isEmpty()) {
        QJsonArray flagged;
        QJsonArray added;
        for (const QJsonValue& t : coverage.value(QStringLiteral("tables")).toArray()) {
            for (const QJsonValue& cv : t.toObject().value(QStringLiteral("columns")).toArray()) {
                QJsonObject c = cv.toObject();
                c.insert(QStringLiteral("table"), t.toObject().value(QStringLiteral("table")));
                if (c.value(QStringLiteral("flagged")).toBool())
                    flagged.append(c);
                if (c.value(QStringLiteral("new")).toBool())
                    added.append(c);
            }
        }
        report.insert(QStringLiteral("coverage"),
                      QJsonObject{{QStringLiteral("covered"), coverage.value(QStringLiteral("covered"))},
                                  {QStringLiteral("reviewed"), coverage.value(QStringLiteral("reviewed"))},
                                  {QStringLiteral("unreviewed"), coverage.value(QStringLiteral("unreviewed"))},
                                  {QStringLiteral("flagged"), flagged},
                                  {QStringLiteral("new"), added}});
    }
    return report;
}

bool hasContent(const QJsonObject& report)
{
    return !report.value(QStringLiteral("columns")).toArray().isEmpty() || report.contains(QStringLiteral("coverage"));
}

QByteArray html(const QJsonObject& r)
{
    QString h;
    h += QStringLiteral("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>Masking report: operation %1</title>"
                        "<style>body{font-family:sans-serif;margin:1.5em}table{border-collapse:collapse}"
                        "td,th{border:1px solid #ccc;padding:4px 8px;text-align:left}th{background:#f0f0f0}"
                        ".leak{color:#b00020;font-weight:bold}.ok{color:#1b5e20}</style></head><body>")
             .arg(r.value(QStringLiteral("operation")).toInteger());
    h += QStringLiteral("<h1>Masking report</h1><p>Operation %1: refresh of <b>%2</b> from <b>%3</b>.</p>")
             .arg(r.value(QStringLiteral("operation")).toInteger())
             .arg(esc(r.value(QStringLiteral("target"))), esc(r.value(QStringLiteral("source"))));
    const QJsonObject scan = r.value(QStringLiteral("leakScan")).toObject();
    if (!scan.isEmpty()) {
        const bool leaked = scan.value(QStringLiteral("leaked")).toBool();
        h += QStringLiteral("<p class=\"%1\">Leak scan: %2 text columns of %3 tables searched in %4 s: %5.</p>")
                 .arg(leaked ? QStringLiteral("leak") : QStringLiteral("ok"))
                 .arg(scan.value(QStringLiteral("columnsSearched")).toInt())
                 .arg(scan.value(QStringLiteral("tablesSearched")).toInt())
                 .arg(scan.value(QStringLiteral("seconds")).toDouble(), 0, 'f', 1)
                 .arg(leaked ? QStringLiteral("values the policy hides were found") : QStringLiteral("nothing found"));
    }
    h += QStringLiteral("<h2>What the policy hides</h2><table><tr><th>Table</th><th>Column</th><th>Rule</th>"
                        "<th>Action</th><th>Rows</th><th>Leak scan</th></tr>");
    for (const QJsonValue& v : r.value(QStringLiteral("columns")).toArray()) {
        const QJsonObject c = v.toObject();
        const QString action = c.contains(QStringLiteral("mask"))
                                   ? QStringLiteral("mask as %1").arg(esc(c.value(QStringLiteral("mask"))))
                                   : esc(c.value(QStringLiteral("action")));
        const qint64 rows = c.value(QStringLiteral("rows")).toInteger();
        h += QStringLiteral("<tr><td>%1</td><td>%2</td><td>%3</td><td>%4</td><td>%5</td><td class=\"%6\">%7</td></tr>")
                 .arg(esc(c.value(QStringLiteral("table"))),
                      c.value(QStringLiteral("column")).toString() == QLatin1String("*")
                          ? QStringLiteral("(every column)")
                          : esc(c.value(QStringLiteral("column"))),
                      esc(c.value(QStringLiteral("rule"))), action,
                      rows < 0 ? QStringLiteral("-") : QString::number(rows),
                      c.value(QStringLiteral("leaked")).toBool() ? QStringLiteral("leak") : QString(),
                      esc(c.value(QStringLiteral("leakScan"))));
    }
    h += QStringLiteral("</table>");
    const QJsonObject coverage = r.value(QStringLiteral("coverage")).toObject();
    if (!coverage.isEmpty()) {
        h += QStringLiteral("<h2>Coverage of the source</h2><p>%1 columns covered by a rule, %2 reviewed as safe, %3 "
                            "unreviewed.</p>")
                 .arg(coverage.value(QStringLiteral("covered")).toInt())
                 .arg(coverage.value(QStringLiteral("reviewed")).toInt())
                 .arg(coverage.value(QStringLiteral("unreviewed")).toInt());
        const auto list = [&h](const QJsonArray& columns, const QString& title) {
            if (columns.isEmpty())
                return;
            h += QStringLiteral("<h3>%1</h3><ul>").arg(title.toHtmlEscaped());
            for (const QJsonValue& v : columns) {
                const QJsonObject c = v.toObject();
                QStringList why;
                if (c.contains(QStringLiteral("nameWord")))
                    why << QStringLiteral("its name says %1").arg(c.value(QStringLiteral("nameWord")).toString());
                if (c.contains(QStringLiteral("values")))
                    why << c.value(QStringLiteral("values")).toString();
                h += QStringLiteral("<li>%1.%2%3</li>")
                         .arg(esc(c.value(QStringLiteral("table"))), esc(c.value(QStringLiteral("column"))),
                              why.isEmpty() ? QString() : QStringLiteral(" (%1)").arg(why.join(QLatin1String("; ")).toHtmlEscaped()));
            }
            h += QStringLiteral("</ul>");
        };
        list(coverage.value(QStringLiteral("flagged")).toArray(),
             QStringLiteral("Unreviewed columns that look sensitive (copied as they are)"));
        list(coverage.value(QStringLiteral("new")).toArray(), QStringLiteral("Columns new since the last refresh"));
    }
    h += QStringLiteral("</body></html>\n");
    return h.toUtf8();
}

} // namespace MaskingReport
