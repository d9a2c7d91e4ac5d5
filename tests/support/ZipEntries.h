#pragma once

#include <QByteArray>
#include <QMap>
#include <QString>

// Every file of a zip archive, by its name in the archive, read with libzip: for the
// tests of `dataalm logs ID --out FILE.zip`. An empty map (and *error says why) when
// the file is not a readable zip.
QMap<QString, QByteArray> zipEntries(const QString& path, QString* error);
