#include "demo/DemoFinancialReportingWriter.h"

#include "demo/DemoDatabase.h"
#include "demo/DemoRandom.h"
#include "engine/SqliteStatement.h"
#include "demo/DemoText.h"
#include "demo/DemoWords.h"

#include <string>

using namespace DemoWords;

namespace {

const char* const Schema[] = {
    "CREATE TABLE CONTROLREPORT (RECID INTEGER PRIMARY KEY, NAME TEXT NOT NULL, DESCRIPTION TEXT, ROWDEFINITION "
    "TEXT, COLUMNDEFINITION TEXT, TREEDEFINITION TEXT, COMPANY TEXT, MODIFIEDDATETIME TEXT)",
    "CREATE TABLE CONTROLROWDETAIL (RECID INTEGER PRIMARY KEY, ROWDEFINITION TEXT NOT NULL, ROWCODE INTEGER, "
    "DESCRIPTION TEXT, FORMATCODE TEXT, RELATEDFORMULA TEXT, NORMALBALANCE INTEGER)",
    "CREATE TABLE CONTROLCOLUMNMASTER (RECID INTEGER PRIMARY KEY, COLUMNDEFINITION TEXT NOT NULL, COLUMNCODE TEXT, "
    "HEADER TEXT, COLUMNTYPE TEXT, BOOKCODE TEXT, FISCALYEAR TEXT, PERIOD TEXT)",
    "CREATE TABLE CONTROLTREE (RECID INTEGER PRIMARY KEY, TREEDEFINITION TEXT NOT NULL, UNITCODE TEXT, "
    "PARENTUNITCODE TEXT, UNITDESCRIPTION TEXT, DIMENSION TEXT)",
    "CREATE INDEX CONTROLROWDETAIL_DEFINITIONIDX ON CONTROLROWDETAIL (ROWDEFINITION, ROWCODE)",
};

} // namespace

DemoFinancialReportingWriter::DemoFinancialReportingWriter(const DemoEnvironmentPlan& plan) : m_plan(plan) {}

bool DemoFinancialReportingWriter::write(const QString& path, QString* error)
{
    const std::string envId = m_plan.environment.id.toStdString();
    DemoRandom rng(DemoRandom::seedFor(envId, "FINANCIALREPORTING"));
    DemoText text;
    DemoDatabase db;
    if (db.create(path)) {
        for (const char* sql : Schema)
            db.exec(sql);

        const int reports = int(std::size(ReportNames));
        {
            SqliteStatement insert = db.prepare("INSERT INTO CONTROLREPORT VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            for (int r = 0; r < reports * 4; ++r) {
                text.reset();
                const std::string_view base = ReportNames[r % reports];
                const auto name =
                    r < reports ? base
                                : text.start().add(base).add(" v").number(std::uint64_t(r / reports + 1)).finish();
                const auto description = text.start().add(base).add(" for ").add(rng.pick(Companies)).finish();
                insert.integer(r + 1)
                    .text(name)
                    .text(description)
                    .text(text.code("ROW-", std::uint64_t(r % reports + 1), 2));
                insert.text(text.code("COL-", std::uint64_t(r % 4 + 1), 2))
                    .text(text.code("TREE-", std::uint64_t(r % 3 + 1), 2));
                insert.text(rng.pick(Companies)).text(text.isoDateTime(1704067200 + rng.below(31536000))).insert();
            }
        }
        {
            SqliteStatement insert = db.prepare("INSERT INTO CONTROLROWDETAIL VALUES (?, ?, ?, ?, ?, ?, ?)");
            qint64 recid = 0;
            for (int definition = 1; definition <= reports; ++definition) {
                const int rows = rng.range(20, 40);
                for (int row = 1; row <= rows; ++row) {
                    text.reset();
                    const auto formula =
                        row % 5 == 0
                            ? text.start()
                                  .add("SUM(")
                                  .number(std::uint64_t(row - 4) * 10)
                                  .add(':')
                                  .number(std::uint64_t(row - 1) * 10)
                                  .add(')')
                                  .finish()
                            : text.start().add("+Account=[").add(rng.pick(LedgerMainAccounts)).add(']').finish();
                    insert.integer(++recid).text(text.code("ROW-", std::uint64_t(definition), 2)).integer(row * 10);
                    insert.text(rng.pick(RowDescriptions)).text(row % 5 == 0 ? "TOT" : "").text(formula);
                    insert.integer(rng.percent(50) ? 1 : 0).insert();
                }
            }
        }
        {
            SqliteStatement insert = db.prepare("INSERT INTO CONTROLCOLUMNMASTER VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
            static const std::string_view Columns[][2] = {
                {"Actual", "FD"},        {"Budget", "FD"}, {"Variance", "CALC"}, {"Prior year", "FD"},
                {"Description", "DESC"}, {"YTD", "FD"},    {"Percent", "CALC"}};
            qint64 recid = 0;
            for (int definition = 1; definition <= 4; ++definition) {
                for (const auto& column : Columns) {
                    text.reset();
                    const auto code = text.start().add(char('A' + recid % 7)).finish();
                    insert.integer(++recid).text(text.code("COL-", std::uint64_t(definition), 2)).text(code);
                    insert.text(column[0]).text(column[1]).text(column[0] == "Budget" ? "BUDGET" : "ACTUAL");
                    insert.text(text.code("", 2020 + rng.below(5), 4))
                        .text(text.code("P", 1 + rng.below(12), 2))
                        .insert();
                }
            }
        }
        {
            SqliteStatement insert = db.prepare("INSERT INTO CONTROLTREE VALUES (?, ?, ?, ?, ?, ?)");
            qint64 recid = 0;
            for (int tree = 1; tree <= 3; ++tree) {
                for (int unit = 0; unit < 30; ++unit) {
                    text.reset();
                    const auto code = text.code("U", std::uint64_t(unit), 3);
                    const auto parent =
                        unit == 0 ? std::string_view() : text.code("U", std::uint64_t((unit - 1) / 4), 3);
                    const auto description =
                        text.start().add(rng.pick(Cities)).add(' ').add(rng.pick(CompanyKinds)).finish();
                    insert.integer(++recid).text(text.code("TREE-", std::uint64_t(tree), 2)).text(code).text(parent);
                    insert.text(description)
                        .text(text.start().add("BusinessUnit=").add(rng.pick(Departments)).finish());
                    insert.insert();
                }
            }
        }
        db.finish();
    }
    if (!db.ok()) {
        *error = db.error();
        return false;
    }
    return true;
}
