#include "TemporaryCatalog.h"

TemporaryCatalog::TemporaryCatalog(int version)
{
    if (!m_dir.isValid()) {
        m_error = QStringLiteral("cannot create a temporary folder: %1").arg(m_dir.errorString());
        return;
    }
    m_catalog.open(m_dir.path(), &m_error, version);
}
