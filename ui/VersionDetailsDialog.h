#pragma once

#include "environment/Environment.h"

#include <QDialog>

class QTableWidget;

// LCS's "View detailed version information": one row per component of an
// environment (application, platform, Financial Reporting, Commerce, and each
// database's engine) with its version, copyable as text for a support ticket.
class VersionDetailsDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY(VersionDetailsDialog)

public:
    explicit VersionDetailsDialog(const Environment& environment, QWidget* parent = nullptr);

    // "Update 64 (7.0.7279.x)" for the platform updates whose build is known, else
    // "Update 61"; "Not deployed" for 0.
    static QString platformUpdateText(int platformUpdate);
    // The rows as tab-separated "component<TAB>version" lines.
    QString asText() const;

private:
    QTableWidget* m_table = nullptr;
};
