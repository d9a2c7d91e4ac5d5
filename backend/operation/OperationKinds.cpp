#include "operation/OperationKinds.h"

void OperationKinds::add(OperationKind kind)
{
    if (!kind.targetChanged) {
        const int from = kind.pointOfNoReturn;
        kind.targetChanged = [from](const OperationRecord& op) {
            for (const StepRecord& s : op.steps) {
                if (s.ordinal >= from && s.state != StepState::NotStarted)
                    return true;
            }
            return false;
        };
    }
    m_kinds.append(std::move(kind));
}

const OperationKind* OperationKinds::find(const QString& id) const
{
    for (const OperationKind& k : m_kinds) {
        if (k.id == id)
            return &k;
    }
    return nullptr;
}

QStringList OperationKinds::ids() const
{
    QStringList list;
    for (const OperationKind& k : m_kinds)
        list << k.id;
    return list;
}
