#pragma once

#include <QString>

// Compares dotted release numbers numerically ("7.0.10040.3" < "7.0.10040.5",
// "10.0.9" < "10.0.40"). Returns <0, 0 or >0.
int compareVersions(const QString& a, const QString& b);
