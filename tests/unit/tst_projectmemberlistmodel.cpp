// ProjectMemberListModel: the members snapshot as rows, roles in words, agents marked
// as catalog-wide, under QAbstractItemModelTester.
#include "ProjectMemberListModel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

class TestProjectMemberListModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void showsMembersInWords();
};

void TestProjectMemberListModel::showsMembersInWords()
{
    ProjectMemberListModel model;
    QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
    QCOMPARE(model.rowCount(), 0);
    const QDateTime added = QDateTime::fromString(QStringLiteral("2026-12-01T10:00:00Z"), Qt::ISODate);
    QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
    model.setMembers({{QStringLiteral("contoso"), QStringLiteral("alice"), QStringLiteral("ProjectOwner"), added,
                       QStringLiteral("postgres")},
                      {QStringLiteral("contoso"), QStringLiteral("bob"), QStringLiteral("EnvironmentManager"), added,
                       QStringLiteral("alice")},
                      {QString(), QStringLiteral("svc_agent"), QStringLiteral("Agent"), added,
                       QStringLiteral("postgres")}});
    QCOMPARE(reset.count(), 1);
    QCOMPARE(model.rowCount(), 3);
    QCOMPARE(model.columnCount(), int(ProjectMemberListModel::ColumnCount));
    QCOMPARE(model.index(1, ProjectMemberListModel::LoginColumn).data().toString(), QStringLiteral("bob"));
    QCOMPARE(model.index(1, ProjectMemberListModel::RoleColumn).data().toString(), QStringLiteral("Environment manager"));
    QCOMPARE(model.index(1, 0).data(ProjectMemberListModel::RoleNameRole).toString(),
             QStringLiteral("EnvironmentManager"));
    QCOMPARE(model.index(1, ProjectMemberListModel::AddedByColumn).data().toString(), QStringLiteral("alice"));
    QVERIFY(!model.index(1, ProjectMemberListModel::AddedColumn).data().toString().isEmpty());
    QCOMPARE(model.index(2, ProjectMemberListModel::RoleColumn).data().toString(),
             QStringLiteral("Agent (every project)"));
    QCOMPARE(model.headerData(ProjectMemberListModel::RoleColumn, Qt::Horizontal).toString(), QStringLiteral("Role"));
    QVERIFY(!model.memberAt(3));
    model.setMembers({});
    QCOMPARE(model.rowCount(), 0);
}

QTEST_GUILESS_MAIN(TestProjectMemberListModel)
#include "tst_projectmemberlistmodel.moc"
