// CatalogGenerator (tests/support) writes the catalog a team keeps over years, which
// the benchmarks time the console and the CLI on; here a small one, read back by the
// real Catalog and OperationStore:
// - shapeIsKept: the projects, environments, operations and parameters asked for, the
//   busy sandbox's share, every environment's newest operation Completed and the
//   older ones final; a second catalog in the same folder is refused.
// - historyPage: OperationStore's page of a long history (listSummaries' `newest`):
//   the newest operations, back to the newest refresh that counts and to the oldest
//   operation that is not final, newest first, each with its own steps; count()
//   counts them all; listUnsettled() gives the operations that are not final.
#include "CatalogGenerator.h"

#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QtTest>

class TestCatalogGenerator : public QObject
{
    Q_OBJECT

private slots:
    void shapeIsKept();
    void historyPage();
};

namespace {

CatalogGenerator::Shape smallShape()
{
    CatalogGenerator::Shape shape;
    shape.projects = 3;
    shape.environments = 30;
    shape.operations = 600;
    shape.busyOperations = 240;
    shape.paramsBytes = 3000;
    return shape;
}

qint64 scalar(const Catalog& c, const QString& sql)
{
    QSqlQuery q(c.database());
    return q.exec(sql) && q.next() ? q.value(0).toLongLong() : -1;
}

} // namespace

void TestCatalogGenerator::shapeIsKept()
{
    QTemporaryDir tmp;
    QString error;
    const CatalogGenerator::Shape shape = smallShape();
    QVERIFY2(CatalogGenerator::generate(tmp.path(), shape, &error), qPrintable(error));

    Catalog c;
    QVERIFY2(c.open(tmp.path(), &error), qPrintable(error));
    QCOMPARE(c.projects().size(), qsizetype(3));
    int environments = 0;
    for (const auto& p : c.projects())
        environments += int(c.environments(p.id).size());
    QCOMPARE(environments, shape.environments);
    QVERIFY(c.environment(QStringLiteral("contoso-prod")).has_value());
    QCOMPARE(c.environment(QStringLiteral("contoso-uat"))->type, EnvironmentType::Sandbox);

    OperationStore store(c);
    QCOMPARE(store.count(QString()), qint64(shape.operations));
    QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM operations WHERE target = 'contoso-uat'")),
             qint64(shape.busyOperations));
    // Every operation has its runbook's steps, and ids follow time.
    QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM operations o WHERE NOT EXISTS (SELECT 1 FROM "
                                      "operation_steps s WHERE s.operation_id = o.id)")),
             qint64(0));
    QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM operations a JOIN operations b ON b.id = a.id + 1 "
                                      "WHERE b.created < a.created")),
             qint64(0));
    // One Completed operation per target (its newest), the rest final.
    QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM operations WHERE state = 'Completed'")),
             scalar(c, QStringLiteral("SELECT count(DISTINCT target) FROM operations")));
    QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM operations o WHERE state = 'Completed' AND id < (SELECT "
                                      "max(id) FROM operations WHERE target = o.target)")),
             qint64(0));
    QCOMPARE(scalar(c, QStringLiteral("SELECT count(*) FROM operations WHERE state NOT IN ('Completed', "
                                      "'SignedOff', 'RollbackCompleted', 'Aborted')")),
             qint64(0));
    // A refresh carries its parameters, as long as asked.
    const qint64 refresh = scalar(c, QStringLiteral("SELECT min(id) FROM operations WHERE kind = 'refresh'"));
    const auto op = store.get(refresh);
    QVERIFY(op);
    const qsizetype bytes = QJsonDocument(op->params).toJson(QJsonDocument::Compact).size();
    QVERIFY2(bytes >= shape.paramsBytes && bytes < shape.paramsBytes + 500, qPrintable(QString::number(bytes)));
    QVERIFY(op->params.contains(QStringLiteral("sourceRows")));
    QCOMPARE(op->steps.size(), 10);

    QVERIFY(!CatalogGenerator::generate(tmp.path(), shape, &error));
    QVERIFY2(error.contains(QLatin1String("already holds a catalog")), qPrintable(error));
}

void TestCatalogGenerator::historyPage()
{
    QTemporaryDir tmp;
    QString error;
    QVERIFY2(CatalogGenerator::generate(tmp.path(), smallShape(), &error), qPrintable(error));
    Catalog c;
    QVERIFY2(c.open(tmp.path(), &error), qPrintable(error));
    const QString uat = QStringLiteral("contoso-uat");
    OperationStore store(c);
    const QList<OperationRecord> all = store.listSummaries(uat, true);
    QCOMPARE(qint64(all.size()), store.count(uat));
    QCOMPARE(all.size(), 240); // the busy sandbox is only ever a target
    QSqlQuery q(c.database());
    const auto set = [&](const QString& sql) { return q.exec(sql); };
    // The newest operations are only applies, and every older one final: the page of 50
    // reaches back to the newest refresh (the reprovisioning rule starts from it).
    QVERIFY(set(QStringLiteral("UPDATE operations SET kind = 'apply' WHERE target = 'contoso-uat' AND id >= %1")
                    .arg(all.at(79).id)));
    QVERIFY(set(QStringLiteral("UPDATE operations SET kind = 'refresh', state = 'SignedOff' WHERE id = %1")
                    .arg(all.at(80).id)));
    QVERIFY(set(QStringLiteral("UPDATE operations SET state = 'SignedOff' WHERE target = 'contoso-uat'")));
    QList<OperationRecord> page = store.listSummaries(uat, true, 50);
    QCOMPARE(page.size(), 81);
    for (int i = 0; i < page.size(); ++i) {
        QCOMPARE(page.at(i).id, all.at(i).id);
        QCOMPARE(page.at(i).steps.size(), all.at(i).steps.size());
        QCOMPARE(page.at(i).steps.value(0).name, all.at(i).steps.value(0).name);
    }
    // An older operation left unsettled (completed, keeping its restore point): the page
    // reaches back to it, so that the rules see every operation after it.
    QVERIFY(set(QStringLiteral("UPDATE operations SET state = 'Completed' WHERE id = %1").arg(all.at(150).id)));
    page = store.listSummaries(uat, true, 50);
    QCOMPARE(page.size(), 151);
    QCOMPARE(page.last().id, all.at(150).id);
    QCOMPARE(page.last().state, OperationState::Completed);
    QVERIFY(!page.last().steps.isEmpty());
    // A page longer than the history is the history.
    QCOMPARE(store.listSummaries(uat, false, 100000).size(), all.size());
    // listUnsettled: that one alone.
    const QList<OperationRecord> unsettled = store.listUnsettled(uat);
    QCOMPARE(unsettled.size(), 1);
    QCOMPARE(unsettled.first().id, all.at(150).id);
}

QTEST_GUILESS_MAIN(TestCatalogGenerator)
#include "tst_cataloggenerator.moc"
