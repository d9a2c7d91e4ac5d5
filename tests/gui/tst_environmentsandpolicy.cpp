// Environments > Add / Edit / Remove and the project's Data policy view in the console,
// on a real 2 MB demo catalog: a SQLite environment added through the dialog (Test
// connection on a worker thread, inline validation messages, nothing written while a
// field is wrong), edited, removed with a confirmation that leaves its database
// untouched; the policy view lists the 16 default rules, validates them against
// contoso-prod on a worker thread, and switches to a project policy file and back.
#include "MoveDatabaseDriver.h"
#include "TestSupport.h"

#include "FileDialog.h"
#include "MessageBox.h"
#include "PolicyCoverageModel.h"
#include "PolicyReviewModel.h"
#include "ProjectActions.h"
#include "environments/DatabaseEditor.h"
#include "environments/EnvironmentDialog.h"
#include "logging/Logging.h"
#include "policy/PolicyView.h"

#include <QComboBox>
#include <QFile>
#include <QLineEdit>
#include <QMessageBox>
#include <QTemporaryDir>
#include <QTabWidget>
#include <QTreeView>
#include <QTreeWidget>

#include <unistd.h>

using namespace TestSupport;
using namespace MoveDatabaseDriver;

class TestEnvironmentsAndPolicy : public QObject
{
    Q_OBJECT

private slots:
    void initTestCase();
    void init();
    void cleanup();
    void addEditRemoveSqliteEnvironment();
    void aliasOfAnotherEnvironmentsDatabaseIsRefused();
    void passwordInAFieldIsRefused_data();
    void passwordInAFieldIsRefused();
    void policyViewListsAndValidates();
    void policyCoverageMarksReviewedAndMasks();

private:
    EnvironmentDialog* openDialog(const char* actionName);
    void type(QWidget* dialog, const char* objectName, const QString& text);
    // Id, tenant, administrator and versions of a valid new contoso environment.
    void fillEnvironmentFields(QWidget* dialog, const QString& id);

    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_catalogFolder;
    std::unique_ptr<MainWindow> m_window;
};

void TestEnvironmentsAndPolicy::initTestCase()
{
    Logging::initialise(QStringLiteral("tst_environmentsandpolicy"));
}

void TestEnvironmentsAndPolicy::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    m_catalogFolder = m_dir->filePath(QStringLiteral("catalog"));
    QString error;
    QVERIFY2(createDemoCatalog(m_catalogFolder, 2, &error), qPrintable(error));
    auto catalog = std::make_unique<Catalog>();
    QVERIFY2(catalog->open(m_catalogFolder, &error), qPrintable(error));
    m_window = std::make_unique<MainWindow>(std::move(catalog));
    m_window->resize(1280, 800);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
}

void TestEnvironmentsAndPolicy::cleanup()
{
    m_window.reset();
    m_dir.reset();
}

EnvironmentDialog* TestEnvironmentsAndPolicy::openDialog(const char* actionName)
{
    auto* action = m_window->findChild<QAction*>(QLatin1String(actionName));
    if (!action || !action->isEnabled())
        return nullptr;
    action->trigger();
    auto* dialog = m_window->findChild<EnvironmentDialog*>(QStringLiteral("environmentDialog"));
    if (dialog && !QTest::qWaitForWindowExposed(dialog))
        return nullptr;
    return dialog;
}

void TestEnvironmentsAndPolicy::type(QWidget* dialog, const char* objectName, const QString& text)
{
    auto* edit = dialog->findChild<QLineEdit*>(QLatin1String(objectName));
    QVERIFY2(edit, objectName);
    edit->setFocus();
    edit->selectAll();
    QTest::keyClick(edit, Qt::Key_Backspace);
    QTest::keyClicks(edit, text);
}

void TestEnvironmentsAndPolicy::fillEnvironmentFields(QWidget* dialog, const QString& id)
{
    type(dialog, "environmentIdEdit", id);
    type(dialog, "environmentTenantEdit", QStringLiteral("contoso.onmicrosoft.com"));
    type(dialog, "environmentAdminEdit", QStringLiteral("admin@contoso.onmicrosoft.com"));
    type(dialog, "applicationVersionEdit", QStringLiteral("10.0.40"));
    type(dialog, "platformVersionEdit", QStringLiteral("64"));
}

void TestEnvironmentsAndPolicy::addEditRemoveSqliteEnvironment()
{
    // A database of the user's own, outside the catalog.
    const QString db = m_dir->filePath(QStringLiteral("byo/test-env.db"));
    QVERIFY(QDir().mkpath(QFileInfo(db).absolutePath()));
    QString error;
    QVERIFY2(execSqlite(db, {QStringLiteral("CREATE TABLE CUSTTABLE (ACCOUNTNUM TEXT, CREDITMAX REAL)")}, &error),
             qPrintable(error));
    const QByteArray dbBytes = fileSha256(db);

    EnvironmentDialog* dialog = openDialog("addEnvironmentAction");
    QVERIFY(dialog);
    QVERIFY(!dialog->isEdit());
    // Saving an empty form shows each problem under its field, and writes nothing.
    const int before = m_window->catalog()->environments(QStringLiteral("contoso")).size();
    QTest::mouseClick(button(dialog, "saveEnvironmentButton"), Qt::LeftButton);
    QVERIFY2(label(dialog, "idProblem").contains(QStringLiteral("needs an id")),
             qPrintable(label(dialog, "idProblem")));
    QCOMPARE(label(dialog, "tenantProblem"), QStringLiteral("Required"));
    QVERIFY(dialog->isVisible());
    QCOMPARE(m_window->catalog()->environments(QStringLiteral("contoso")).size(), before);

    type(dialog, "environmentIdEdit", QStringLiteral("contoso-byo"));
    type(dialog, "environmentNameEdit", QStringLiteral("Contoso BYO test"));
    type(dialog, "environmentTenantEdit", QStringLiteral("contoso.onmicrosoft.com"));
    type(dialog, "environmentAdminEdit", QStringLiteral("admin@contoso.onmicrosoft.com"));
    type(dialog, "applicationVersionEdit", QStringLiteral("10.0.40"));
    type(dialog, "platformVersionEdit", QStringLiteral("sixty-four"));
    type(dialog, "transactionalPath", db);

    // Test connection, on a worker thread.
    QTest::mouseClick(button(dialog, "transactionalTestButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(label(dialog, "transactionalMessage").startsWith(QStringLiteral("Connected")), 20000);
    QVERIFY(button(dialog, "transactionalTestButton")->isEnabled());

    // A wrong platform number: refused inline, nothing written.
    QTest::mouseClick(button(dialog, "saveEnvironmentButton"), Qt::LeftButton);
    QVERIFY2(label(dialog, "platformProblem").startsWith(QStringLiteral("Takes a platform update number")) &&
                 label(dialog, "platformProblem").contains(QStringLiteral("sixty-four")),
             qPrintable(label(dialog, "platformProblem")));
    QVERIFY(label(dialog, "idProblem").isEmpty());
    QVERIFY(!m_window->catalog()->environment(QStringLiteral("contoso-byo")));

    saveScreenshot(dialog, QStringLiteral("environment-dialog"));
    type(dialog, "platformVersionEdit", QStringLiteral("64"));
    // Fixing the field takes its message away at once.
    QVERIFY2(label(dialog, "platformProblem").isEmpty(), qPrintable(label(dialog, "platformProblem")));
    QPointer<EnvironmentDialog> guard(dialog);
    QTest::mouseClick(button(dialog, "saveEnvironmentButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 20000);
    auto added = m_window->catalog()->environment(QStringLiteral("contoso-byo"));
    QVERIFY(added);
    QCOMPARE(added->name, QStringLiteral("Contoso BYO test"));
    QCOMPARE(added->type, EnvironmentType::Sandbox);
    QCOMPARE(added->versions.platform, 64);
    QVERIFY(added->versions.commerce.isEmpty());
    QCOMPARE(added->database(DatabaseRef::Transactional)->path, db);
    QVERIFY(!added->database(DatabaseRef::FinancialReporting));
    // Listed and selected.
    QTRY_COMPARE(m_window->currentEnvironmentId(), QStringLiteral("contoso-byo"));

    // Edit: a new name and a Commerce version.
    dialog = openDialog("editEnvironmentAction");
    QVERIFY(dialog);
    QVERIFY(dialog->isEdit());
    QVERIFY(dialog->findChild<QLineEdit*>(QStringLiteral("environmentIdEdit"))->isReadOnly());
    QCOMPARE(dialog->findChild<QLineEdit*>(QStringLiteral("transactionalPath"))->text(), db);
    type(dialog, "environmentNameEdit", QStringLiteral("Contoso BYO renamed"));
    type(dialog, "commerceVersionEdit", QStringLiteral("9.50"));
    guard = dialog;
    QTest::mouseClick(button(dialog, "saveEnvironmentButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(guard.isNull(), 20000);
    auto edited = m_window->catalog()->environment(QStringLiteral("contoso-byo"));
    QCOMPARE(edited->name, QStringLiteral("Contoso BYO renamed"));
    QCOMPARE(edited->versions.commerce, QStringLiteral("9.50"));
    QTRY_COMPARE(label(m_window.get(), "environmentName"), QStringLiteral("Contoso BYO renamed"));

    // Remove: "Keep it" changes nothing; "Remove" forgets it and leaves the database alone.
    auto* remove = m_window->findChild<QAction*>(QStringLiteral("removeEnvironmentAction"));
    QVERIFY(remove->isEnabled());
    MessageBox::setNextAnswer(QMessageBox::No);
    remove->trigger();
    QCOMPARE(MessageBox::lastQuestionName(), QStringLiteral("confirmRemoveBox"));
    QVERIFY2(MessageBox::lastQuestion().contains(QStringLiteral("not touched")),
             qPrintable(MessageBox::lastQuestion()));
    QVERIFY(m_window->catalog()->environment(QStringLiteral("contoso-byo")));
    MessageBox::setNextAnswer(QMessageBox::Yes);
    remove->trigger();
    QVERIFY(!m_window->catalog()->environment(QStringLiteral("contoso-byo")));
    QTRY_VERIFY(m_window->currentEnvironmentId() != QLatin1String("contoso-byo"));
    QCOMPARE(fileSha256(db), dbBytes);
}

void TestEnvironmentsAndPolicy::aliasOfAnotherEnvironmentsDatabaseIsRefused()
{
    // A hard link to production's database file: another path, no symbolic link to
    // resolve, the same database (one inode).
    const QString prod =
        m_window->catalog()->environment(QStringLiteral("contoso-prod"))->database(DatabaseRef::Transactional)->path;
    const QString alias = m_dir->filePath(QStringLiteral("looks-new.db"));
    QVERIFY(::link(QFile::encodeName(prod).constData(), QFile::encodeName(alias).constData()) == 0);
    const QByteArray prodBytes = fileSha256(prod);

    EnvironmentDialog* dialog = openDialog("addEnvironmentAction");
    QVERIFY(dialog);
    fillEnvironmentFields(dialog, QStringLiteral("contoso-alias"));
    type(dialog, "transactionalPath", alias);
    QTest::mouseClick(button(dialog, "saveEnvironmentButton"), Qt::LeftButton);
    // Refused beside the field, after the worker identified the databases; nothing written.
    QTRY_VERIFY_WITH_TIMEOUT(label(dialog, "transactionalMessage").contains(QStringLiteral("contoso-prod's "
                                                                                           "transactional database")),
                             20000);
    QVERIFY2(label(dialog, "transactionalMessage").contains(QStringLiteral("under another name")),
             qPrintable(label(dialog, "transactionalMessage")));
    QVERIFY(dialog->isVisible());
    QVERIFY(!m_window->catalog()->environment(QStringLiteral("contoso-alias")));
    QCOMPARE(fileSha256(prod), prodBytes);
    dialog->reject();
}

void TestEnvironmentsAndPolicy::passwordInAFieldIsRefused_data()
{
    QTest::addColumn<QString>("host");
    QTest::addColumn<QString>("user");
    QTest::addColumn<QString>("problem");
    QTest::newRow("whole URL in Host") << QStringLiteral("postgresql://bob:s3cret@db.example.com/erp")
                                       << QStringLiteral("bob") << QStringLiteral("Host takes the server's name");
    QTest::newRow("user:password@ in Host") << QStringLiteral("bob:s3cret@db.example.com") << QStringLiteral("bob")
                                            << QStringLiteral("Host takes the server's name");
    QTest::newRow("password in User") << QStringLiteral("db.example.com") << QStringLiteral("bob:s3cret")
                                      << QStringLiteral("User takes the login's name only");
}

void TestEnvironmentsAndPolicy::passwordInAFieldIsRefused()
{
    QFETCH(QString, host);
    QFETCH(QString, user);
    QFETCH(QString, problem);
    EnvironmentDialog* dialog = openDialog("addEnvironmentAction");
    QVERIFY(dialog);
    fillEnvironmentFields(dialog, QStringLiteral("contoso-pg"));
    auto* engine = dialog->findChild<QComboBox*>(QStringLiteral("transactionalEngine"));
    QVERIFY(engine);
    engine->setCurrentIndex(engine->findText(QStringLiteral("PostgreSQL"), Qt::MatchContains));
    type(dialog, "transactionalHost", host);
    type(dialog, "transactionalDatabaseName", QStringLiteral("erp"));
    type(dialog, "transactionalUser", user);
    const auto before = m_window->catalog()->environments(QStringLiteral("contoso")).size();
    QTest::mouseClick(button(dialog, "saveEnvironmentButton"), Qt::LeftButton);
    // Refused at once beside the field: nothing opened, nothing written, the password never echoed.
    const QString message = label(dialog, "transactionalMessage");
    QVERIFY2(message.startsWith(problem), qPrintable(message));
    QVERIFY2(!message.contains(QStringLiteral("s3cret")), qPrintable(message));
    QVERIFY(!dialog->findChild<QLabel*>(QStringLiteral("environmentDialogStatus")) ||
            label(dialog, "environmentDialogStatus").isEmpty());
    QCOMPARE(m_window->catalog()->environments(QStringLiteral("contoso")).size(), before);
    dialog->reject();
}

void TestEnvironmentsAndPolicy::policyViewListsAndValidates()
{
    // Opened on the environment selected in the main window.
    QVERIFY(selectByKeyboard(m_window.get(), QStringLiteral("contoso-uat")));
    auto* action = m_window->findChild<QAction*>(QStringLiteral("dataPolicyAction"));
    QVERIFY(action && action->isEnabled());
    action->trigger();
    auto* view = m_window->findChild<PolicyView*>(QStringLiteral("policyView"));
    QVERIFY(view);
    QVERIFY(QTest::qWaitForWindowExposed(view));
    QCOMPARE(view->model()->rowCount(), 16);
    QVERIFY2(label(view, "policySource").contains(QStringLiteral("Built-in default policy")),
             qPrintable(label(view, "policySource")));
    QVERIFY(!label(view, "policyRuleDescription").isEmpty());
    QVERIFY(!button(view, "defaultPolicyButton")->isEnabled());

    auto* combo = view->findChild<QComboBox*>(QStringLiteral("policyEnvironmentCombo"));
    QVERIFY(combo);
    QCOMPARE(combo->currentData().toString(), QStringLiteral("contoso-uat"));
    combo->setCurrentIndex(combo->findData(QStringLiteral("contoso-prod")));
    QVERIFY(combo->currentIndex() >= 0);
    QTest::mouseClick(button(view, "validatePolicyButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!view->isValidating(), 30000);
    QVERIFY2(label(view, "policyValidationVerdict").startsWith(QStringLiteral("Valid against contoso-prod")),
             qPrintable(label(view, "policyValidationVerdict")));
    auto* results = view->findChild<QTreeWidget*>(QStringLiteral("policyValidationResults"));
    QCOMPARE(results->topLevelItemCount(), 16);
    for (int i = 0; i < results->topLevelItemCount(); ++i) {
        QTreeWidgetItem* rule = results->topLevelItem(i);
        QCOMPARE(rule->text(1), QStringLiteral("Everything it names exists"));
        QVERIFY(rule->childCount() >= 1);
        QVERIFY2(rule->child(0)->text(1).contains(QStringLiteral("table found")), qPrintable(rule->child(0)->text(1)));
    }
    saveScreenshot(view, QStringLiteral("policy-view"));

    // A project policy of one rule naming a column contoso-prod lacks: installed, then
    // validation names it; back to the default.
    const QString file = m_dir->filePath(QStringLiteral("own-policy.json"));
    QFile f(file);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(R"({"name": "Own", "rules": [{"id": "notes", "title": "Customer notes", "reason": "security",
               "action": "blank", "table": "CUSTTABLE", "columns": ["NOTES_NOT_THERE"]}]})");
    f.close();
    FileDialog::setNextOpenFileName(file);
    QTest::mouseClick(button(view, "choosePolicyButton"), Qt::LeftButton);
    QTRY_COMPARE(view->model()->rowCount(), 1);
    QVERIFY2(label(view, "policySource").contains(QStringLiteral("own policy")),
             qPrintable(label(view, "policySource")));
    QTest::mouseClick(button(view, "validatePolicyButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!view->isValidating(), 30000);
    QVERIFY2(label(view, "policyValidationVerdict").startsWith(QStringLiteral("Not valid against contoso-prod")),
             qPrintable(label(view, "policyValidationVerdict")));
    QVERIFY2(results->topLevelItem(0)->child(0)->text(1).contains(QStringLiteral("NOTES_NOT_THERE (missing)")),
             qPrintable(results->topLevelItem(0)->child(0)->text(1)));
    QVERIFY(button(view, "defaultPolicyButton")->isEnabled());
    QTest::mouseClick(button(view, "defaultPolicyButton"), Qt::LeftButton);
    QTRY_COMPARE(view->model()->rowCount(), 16);
}

void TestEnvironmentsAndPolicy::policyCoverageMarksReviewedAndMasks()
{
    QVERIFY(selectByKeyboard(m_window.get(), QStringLiteral("contoso-prod")));
    m_window->findChild<QAction*>(QStringLiteral("dataPolicyAction"))->trigger();
    auto* view = m_window->findChild<PolicyView*>(QStringLiteral("policyView"));
    QVERIFY(view);
    QVERIFY(QTest::qWaitForWindowExposed(view));
    QTest::mouseClick(button(view, "validatePolicyButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!view->isValidating(), 30000);
    auto* tabs = view->findChild<QTabWidget*>(QStringLiteral("policyResultTabs"));
    QVERIFY(tabs);
    tabs->setCurrentIndex(1);
    QVERIFY2(tabs->tabText(1).contains(QStringLiteral("to review")), qPrintable(tabs->tabText(1)));
    QVERIFY2(label(view, "policyCoverageSummary").contains(QStringLiteral("look sensitive")),
             qPrintable(label(view, "policyCoverageSummary")));
    auto* tree = view->findChild<QTreeView*>(QStringLiteral("policyCoverageView"));
    QVERIFY(tree);
    PolicyCoverageModel* model = view->coverageModel();
    // Nothing selected: nothing to mark.
    QVERIFY(!button(view, "markReviewedButton")->isEnabled());
    saveScreenshot(view, QStringLiteral("policy-coverage-tables"));
    const auto columnIndex = [model](const QString& table, const QString& column) {
        for (int t = 0; t < model->rowCount(); ++t) {
            const QModelIndex ti = model->index(t, 0);
            if (ti.data().toString() != table)
                continue;
            for (int c = 0; c < model->rowCount(ti); ++c) {
                if (model->index(c, 0, ti).data().toString() == column)
                    return model->index(c, 0, ti);
            }
        }
        return QModelIndex();
    };
    QModelIndex phone = columnIndex(QStringLiteral("CUSTTABLE"), QStringLiteral("PHONE"));
    QVERIFY(phone.isValid());
    QVERIFY(phone.data(PolicyCoverageModel::FlaggedRole).toBool());
    tree->setCurrentIndex(phone);
    saveScreenshot(view, QStringLiteral("policy-coverage"));
    // The evidence, cut in its column, is whole under the tree.
    const QString detail = label(view, "policyCoverageDetail");
    QVERIFY2(detail.startsWith(QStringLiteral("CUSTTABLE.PHONE: Unreviewed, looks sensitive; its name says phone; ")) &&
                 detail.contains(QStringLiteral("sampled values")),
             qPrintable(detail));
    QVERIFY(button(view, "markReviewedButton")->isEnabled());
    QTest::mouseClick(button(view, "markReviewedButton"), Qt::LeftButton);
    QTRY_VERIFY_WITH_TIMEOUT(!view->isValidating(), 30000);
    QTRY_COMPARE(columnIndex(QStringLiteral("CUSTTABLE"), QStringLiteral("PHONE")).data(PolicyCoverageModel::StatusRole)
                     .toString(),
                 QStringLiteral("reviewed"));
    QVERIFY2(label(view, "policySource").contains(QStringLiteral("own policy")), qPrintable(label(view, "policySource")));
    // Mask EMAIL as an email: a rule of its own, and the column is covered.
    const QModelIndex email = columnIndex(QStringLiteral("CUSTTABLE"), QStringLiteral("EMAIL"));
    tree->setCurrentIndex(email);
    auto* maskAction = view->findChild<QAction*>(QStringLiteral("maskAs_email"));
    QVERIFY(maskAction && button(view, "maskColumnButton")->isEnabled());
    QCOMPARE(maskAction->text(), QStringLiteral("email (suggested)"));
    maskAction->trigger();
    QTRY_VERIFY_WITH_TIMEOUT(!view->isValidating(), 30000);
    QTRY_COMPARE(columnIndex(QStringLiteral("CUSTTABLE"), QStringLiteral("EMAIL")).data(PolicyCoverageModel::StatusRole)
                     .toString(),
                 QStringLiteral("covered"));
    QCOMPARE(view->model()->rowCount(), 17);
    QVERIFY(view->model()->policy()->rule(QStringLiteral("mask-custtable-email")));
    QVERIFY(view->model()->policy()->isReviewed(QStringLiteral("CUSTTABLE"), QStringLiteral("PHONE")));
    QTest::mouseClick(button(view, "defaultPolicyButton"), Qt::LeftButton);
    QTRY_COMPARE(view->model()->rowCount(), 16);
    view->close();
}

QTEST_MAIN(TestEnvironmentsAndPolicy)
#include "tst_environmentsandpolicy.moc"
