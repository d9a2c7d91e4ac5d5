// AuditLogModel: the audit's entries as rows, newest first, roles in words, under
// QAbstractItemModelTester.
#include "AuditLogModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

class TestAuditLogModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsEntriesNewestFirst();
};

void TestAuditLogModel::showsEntriesNewestFirst()
{
    AuditLogModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    const QDateTime first = QDateTime::fromString(QStringLiteral("2026-12-01T10:00:00.000Z"), Qt::ISODateWithMs);
    AuditLog::Entry created{1, first, QStringLiteral("alice"), QStringLiteral("contoso:ProjectOwner,fabrikam:Viewer"),
                            QStringLiteral("10.0.0.5 (ws-17)"), QStringLiteral("operation.create"),
                            QStringLiteral("contoso-uat"), QStringLiteral("refresh #7 from contoso-prod")};
    AuditLog::Entry approved{2, first.addSecs(60), QStringLiteral("bob"), QStringLiteral("Administrator"),
                             QStringLiteral("local socket"), QStringLiteral("operation.approve"), QStringLiteral("7"),
                             QStringLiteral("change 4711")};
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setEntries({created, approved});
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 2);
    QCOMPARE(model.columnCount(), int(AuditLogModel::ColumnCount));
    // Newest first.
    QCOMPARE(model.index(0, AuditLogModel::ActionColumn).data().toString(), QStringLiteral("operation.approve"));
    QCOMPARE(model.index(1, AuditLogModel::WhoColumn).data().toString(), QStringLiteral("alice"));
    QCOMPARE(model.index(1, AuditLogModel::RoleColumn).data().toString(),
             QStringLiteral("contoso: Project owner, fabrikam: Viewer"));
    QCOMPARE(model.index(0, AuditLogModel::RoleColumn).data().toString(), QStringLiteral("Administrator"));
    QCOMPARE(model.index(1, AuditLogModel::HostColumn).data().toString(), QStringLiteral("10.0.0.5 (ws-17)"));
    QCOMPARE(model.index(1, AuditLogModel::SubjectColumn).data().toString(), QStringLiteral("contoso-uat"));
    QCOMPARE(model.index(1, AuditLogModel::DetailColumn).data().toString(), QStringLiteral("refresh #7 from contoso-prod"));
    QCOMPARE(model.index(1, AuditLogModel::AtColumn).data(Qt::ToolTipRole).toString(),
             QStringLiteral("2026-12-01T10:00:00.000Z"));
    QCOMPARE(model.index(0, 0).data(AuditLogModel::AtRole).toDateTime(), first.addSecs(60));
    QCOMPARE(model.headerData(AuditLogModel::HostColumn, Qt::Horizontal).toString(), QStringLiteral("Host"));
    model.setEntries({});
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestAuditLogModel)
#include "tst_auditlogmodel.moc"
