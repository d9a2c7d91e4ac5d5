#pragma once

#include <QString>

// The one way every screen, log line and CLI message writes a size: "1.5 GB",
// "12.3 MB", "640 bytes" (powers of 1024 named KB, MB, GB, as Windows and LCS write
// them), one decimal, the C locale (the same text in the runbook log and on screen).
namespace ByteSize {

QString text(qint64 bytes);

} // namespace ByteSize
