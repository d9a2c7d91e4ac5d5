#pragma once

#include "schedule/RequestWindow.h"

#include <QDateTime>
#include <QDialog>
#include <QTimeZone>

class QCheckBox;
class QDateTimeEdit;
class QLabel;

// Reschedule…: a request's new downtime window, read in the project's time zone (which
// the dialog names), and for a restore to an instant the instant it goes back to.
// OK is enabled only for a window that ends after it starts; the rules (notice,
// estimate) answer when the request is moved.
class RescheduleDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY(RescheduleDialog)

public:
    // `instant` valid: the request restores to that instant, which may be moved too.
    RescheduleDialog(const RequestWindow& window, const QDateTime& instant, const QTimeZone& zone,
                     QWidget* parent = nullptr);

    RequestWindow window() const;
    QDateTime instant() const; // invalid when the request does not restore to an instant
    bool force() const;

private:
    void validate();
    QDateTime fromEdit(const QDateTimeEdit* edit) const;

    QTimeZone m_zone;
    QDateTimeEdit* m_start = nullptr;
    QDateTimeEdit* m_end = nullptr;
    QDateTimeEdit* m_instant = nullptr;
    QCheckBox* m_force = nullptr;
    QLabel* m_problem = nullptr;
};
