#pragma once

#include "environment/Environment.h"

#include "CliContext.h"

#include <QString>
#include <functional>

struct EnvironmentDraft;

// The CLI's environment commands: `env list`, `env show`, `env test`, and bringing
// your own environments: `env add`, `env edit`, `env remove` (EnvironmentRegistration,
// the same backend the console's dialogs use). Each checks its arguments before it
// opens the catalog, so a usage error (exit 2) never creates or touches one.
class EnvCommands
{
public:
    // `openCatalog` opens the catalog `context` refers to (false with a message).
    EnvCommands(CliContext& context, std::function<bool(QString*)> openCatalog);

    int run();

private:
    int list();
    int show();
    int test();
    int add();
    int edit();
    int remove();
    // Where the environment's server archives its WAL with pgBackRest (Catalog::setPitrSource).
    int pitr();
    // `env protect|unprotect ENV`: its refreshes, restores, imports and applies wait for
    // a second Project owner's approval, or no longer do (ApprovalService).
    int protect(bool on);
    // `env credential set|remove|list|reveal ENV [--db ROLE] [--reason TEXT]`: a team
    // catalog's database credentials (CredentialStore). `set` reads the password from
    // standard input (never the command line); `reveal` prints it alone, once, audited.
    int credential();

    // The environment id of `env SUB ID`; false with *exitCode set when missing or followed by more.
    bool environmentId(const QString& sub, QString* id, int* exitCode);
    // `env SUB ID` with no other option: reads the id, opens the catalog and finds the
    // environment; false with the exit code (usage, catalog, unknown) otherwise.
    bool knownEnvironment(const QString& sub, Environment* env, int* exitCode);
    // `env add ID` / `env edit ID` (`sub`) as a draft: the id, the options it allows and
    // EnvironmentRegistration::checkDraft (every field optional when `isEdit`), all before
    // the catalog is opened; then opens it. False with *exitCode set on a usage error or
    // when the catalog does not open.
    bool draft(const QString& sub, bool isEdit, EnvironmentDraft* draft, int* exitCode);
    bool open(int* exitCode);

    CliContext& m_ctx;
    std::function<bool(QString*)> m_openCatalog;
};
