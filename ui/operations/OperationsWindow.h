#pragma once

#include "operation/OperationRecord.h"

#include <QDialog>
#include <QList>

class GridView;
class OperationFilterModel;
class OperationHistoryModel;
class QComboBox;
class QDateEdit;
class QLabel;
class QLineEdit;

// View > Operations: every running and recent operation of the project, across its
// environments (pgAdmin's Processes), with filters by kind, by what the state asks of the
// user, by environment and by date, a search, and sorting by any column. Activating an
// operation shows it in the main window's Operation tab.
//
// Promises: reads only what it is handed (setOperations, from the catalog on the GUI
// thread's catalog connection); never opens an environment's database. Kept open, it
// follows the catalog through setOperations().
class OperationsWindow : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY(OperationsWindow)

public:
    // `environments`: the project's environment ids, for the environment filter.
    OperationsWindow(const QStringList& environments, QWidget* parent = nullptr);

    void setOperations(const QList<OperationRecord>& operations);
    OperationFilterModel* filterModel() const { return m_filter; }

Q_SIGNALS:
    void operationActivated(qint64 operationId);

private:
    void applyFilters();
    void updateCount();

    OperationHistoryModel* m_model = nullptr;
    OperationFilterModel* m_filter = nullptr;
    GridView* m_view = nullptr;
    bool m_loaded = false; // setOperations() was called: the count is the rows'
    bool m_fitted = false;
    QComboBox* m_kind = nullptr;
    QComboBox* m_state = nullptr;
    QComboBox* m_environment = nullptr;
    QComboBox* m_period = nullptr;
    QLineEdit* m_search = nullptr;
    QLabel* m_count = nullptr;
};
