#pragma once

#include <QString>

// The rule every file name inside a package obeys, in the manifest and in the zip
// alike: a relative path of forward-slash separated names, none of them empty, "."
// or "..", without backslashes, drive letters or control characters. A name that
// breaks it could write or read outside the package's folder when unpacked.
namespace PackagePath {

// False with `why` completing "the name '…' …" (e.g. "is absolute").
bool isSafe(const QString& path, QString* why);

} // namespace PackagePath
