#pragma once

#include "operation/OperationKind.h"

#include <QList>
#include <QStringList>

// The registry of operation kinds a runner is handed (it knows no job by name); this
// build's kinds are BuiltInOperationKinds::registry() (lifecycle/).
//
// Promises: find() answers nullptr for a kind that is not registered (an operation
// written by a newer build), never a guess.
class OperationKinds
{
public:
    static inline const QString Refresh = QStringLiteral("refresh");
    static inline const QString Apply = QStringLiteral("apply");
    static inline const QString Restore = QStringLiteral("restore");
    static inline const QString Export = QStringLiteral("export");
    static inline const QString Import = QStringLiteral("import");

    void add(OperationKind kind);
    const OperationKind* find(const QString& id) const;
    QStringList ids() const;

private:
    QList<OperationKind> m_kinds;
};
