#pragma once

// Drives the console's Move database wizard and progress view as a user does, for the
// tst_movedatabase* GUI tests: widgets by objectName, clicks and keys, QTRY_* waits.

#include "EnvironmentListModel.h"
#include "MainWindow.h"
#include "OperationSession.h"
#include "RunbookStepModel.h"
#include "SourceEnvironmentModel.h"
#include "catalog/Catalog.h"
#include "catalog/OperationStore.h"
#include "progress/OperationCenter.h"
#include "progress/OperationProgressView.h"
#include "wizard/MoveDatabaseWizard.h"

#include <QAbstractButton>
#include <QAction>
#include <QCheckBox>
#include <QLabel>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QTabWidget>
#include <QTreeView>
#include <QTreeWidget>
#include <QElapsedTimer>
#include <QtTest>

namespace MoveDatabaseDriver {

// With DATAALM_SCREENSHOT_DIR set, the tests leave pictures of what they checked there.
inline void saveScreenshot(QWidget* widget, const QString& name)
{
    const QString dir = qEnvironmentVariable("DATAALM_SCREENSHOT_DIR");
    if (!dir.isEmpty())
        QVERIFY(widget->grab().save(QDir(dir).filePath(name + QStringLiteral(".png"))));
}

inline QTreeView* environmentList(MainWindow* window)
{
    return window->findChild<QTreeView*>(QStringLiteral("environmentList"));
}

inline QString environmentState(MainWindow* window, const QString& id)
{
    QAbstractItemModel* model = environmentList(window)->model(); // sorted as the user chose
    const QModelIndexList found = model->match(model->index(0, 0), EnvironmentListModel::IdRole, id, 1, Qt::MatchExactly);
    return found.isEmpty() ? QString()
                           : found.first().siblingAtColumn(EnvironmentListModel::StateColumn).data().toString();
}

// Selects `id` in the environment list with the keyboard, as a user would.
inline bool selectByKeyboard(MainWindow* window, const QString& id)
{
    QTreeView* view = environmentList(window);
    if (!view)
        return false;
    view->setFocus();
    QTest::keyClick(view, Qt::Key_Home);
    for (int i = 0; i < view->model()->rowCount(); ++i) {
        if (view->currentIndex().data(EnvironmentListModel::IdRole).toString() == id)
            return true;
        QTest::keyClick(view, Qt::Key_Down);
    }
    return false;
}

// Maintain > Move database on `targetId`; the wizard, or nullptr.
inline MoveDatabaseWizard* openWizard(MainWindow* window, const QString& targetId)
{
    if (!selectByKeyboard(window, targetId))
        return nullptr;
    auto* action = window->findChild<QAction*>(QStringLiteral("moveDatabaseAction"));
    if (!action || !action->isEnabled())
        return nullptr;
    action->trigger();
    auto* wizard = window->findChild<MoveDatabaseWizard*>(QStringLiteral("moveDatabaseWizard"));
    if (wizard && !QTest::qWaitForWindowExposed(wizard))
        return nullptr;
    return wizard;
}

// Clicks Next once it is enabled; false if it never is.
inline bool clickNext(QWizard* wizard, int timeoutMs = 60000)
{
    QAbstractButton* next = wizard->button(QWizard::NextButton);
    QElapsedTimer t;
    t.start();
    while (!(next->isEnabled() && next->isVisible()) && t.elapsed() < timeoutMs)
        QTest::qWait(20);
    if (!next->isEnabled())
        return false;
    const int before = wizard->currentId();
    QTest::mouseClick(next, Qt::LeftButton);
    return wizard->currentId() != before;
}

inline QTreeView* view(QWidget* parent, const char* objectName)
{
    return parent->findChild<QTreeView*>(QLatin1String(objectName));
}

// Chooses `sourceId` in the Source page's list, as a click would.
inline bool chooseSource(QWizard* wizard, const QString& sourceId)
{
    QTreeView* list = view(wizard, "sourceList");
    if (!list)
        return false;
    for (int row = 0; row < list->model()->rowCount(); ++row) {
        const QModelIndex index = list->model()->index(row, 0);
        if (index.data(SourceEnvironmentModel::IdRole).toString() == sourceId) {
            QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(index).center());
            return list->currentIndex().row() == row;
        }
    }
    return false;
}

// Ticks every acknowledgement and types the target's name.
inline void acknowledge(QWizard* wizard, const QString& name)
{
    for (const char* box : {"ackReplaced", "ackOffline", "ackUsers", "ackBatch", "ackDocuments"}) {
        auto* check = wizard->findChild<QCheckBox*>(QLatin1String(box));
        QVERIFY2(check, box);
        QVERIFY2(!check->text().isEmpty(), box);
        QTest::mouseClick(check, Qt::LeftButton, {}, QPoint(8, check->height() / 2));
        QVERIFY2(check->isChecked(), box);
    }
    auto* confirm = wizard->findChild<QLineEdit*>(QStringLiteral("confirmName"));
    QVERIFY(confirm);
    confirm->setFocus();
    QTest::keyClicks(confirm, name);
}

// The whole wizard on `targetId` from `sourceId`, Finish clicked: the new operation's id (0 on failure).
inline qint64 runWizard(MainWindow* window, const QString& targetId,
                        const QString& sourceId = QStringLiteral("contoso-prod"))
{
    MoveDatabaseWizard* wizard = openWizard(window, targetId);
    if (!wizard)
        return 0;
    if (!clickNext(wizard)) // operation -> source
        return 0;
    if (!chooseSource(wizard, sourceId) || !clickNext(wizard)) // -> checks
        return 0;
    if (!clickNext(wizard)) // -> review (once the checks passed)
        return 0;
    if (!clickNext(wizard)) // -> acknowledgements
        return 0;
    acknowledge(wizard, wizard->target().name);
    QAbstractButton* finish = wizard->button(QWizard::FinishButton);
    if (!finish->isEnabled())
        return 0;
    const qint64 before = window->progressView()->session() ? window->progressView()->session()->operationId() : 0;
    QTest::mouseClick(finish, Qt::LeftButton);
    // The refresh starts in the next turns of the event loop (MainWindow::moveDatabaseAccepted).
    QElapsedTimer waited;
    waited.start();
    while (waited.elapsed() < 10000) {
        OperationSession* session = window->progressView()->session();
        if (session && session->operationId() != before)
            return session->operationId();
        QTest::qWait(10);
    }
    return 0;
}

inline std::optional<OperationRecord> operation(MainWindow* window, qint64 id)
{
    return OperationStore(*window->catalog()).get(id);
}

inline QString label(QWidget* parent, const char* objectName)
{
    const auto* l = parent->findChild<QLabel*>(QLatin1String(objectName));
    return l ? l->text() : QStringLiteral("<no label %1>").arg(QLatin1String(objectName));
}

inline QAbstractButton* button(QWidget* parent, const char* objectName)
{
    return parent->findChild<QAbstractButton*>(QLatin1String(objectName));
}

} // namespace MoveDatabaseDriver
