#pragma once

#include <QString>
#include <string>
#include <string_view>

// The application's logging: spdlog with a rotating file in the user's state
// directory, the in-memory LogTail the console shows, and optionally stderr.
// Promise: every message passes through redact() before any sink sees it, so no
// password or connection secret reaches a file, a pane or a terminal.
namespace Logging {

// $DATAALM_STATE_DIR, else $XDG_STATE_HOME/dataalm, else ~/.local/state/dataalm.
QString stateDirectory();
// The default catalog folder: $XDG_DATA_HOME/dataalm (~/.local/share/dataalm).
QString defaultCatalogDirectory();
// The catalog used without --catalog: DATAALM_CATALOG (a folder or a team catalog's
// postgresql:// URL) when set, else defaultCatalogDirectory().
QString defaultCatalog();
// Installs the default logger for `appName` ("dataalm" or "dataalm-console").
// Safe to call more than once; a log file that cannot be created leaves the tail and stderr.
void initialise(const QString& appName, bool toStderr = false);
QString logFilePath();
// Masks password=..., PGPASSWORD=..., and the password of user:password@host URLs.
std::string redact(std::string_view text);
QString redact(const QString& text);

} // namespace Logging
