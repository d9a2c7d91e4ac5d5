#include "core/ByteSize.h"

#include <QLocale>

namespace ByteSize {

QString text(qint64 bytes)
{
    return QLocale::c().formattedDataSize(bytes, 1, QLocale::DataSizeTraditionalFormat);
}

} // namespace ByteSize
