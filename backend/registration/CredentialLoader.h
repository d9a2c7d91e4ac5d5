#pragma once

#include <QString>
#include <QStringList>

class Catalog;

// Gives this process the passwords kept for the databases of the environments it is
// about to work on (CredentialStore::forAgent: a team catalog answers agents alone and
// audits each use; a one-person catalog reads the OS keychain), in memory (PostgresPasswords): the runner calls it before
// an agent acts on an operation, the agent before it takes a scheduled restore point.
namespace CredentialLoader {

// How many credentials were loaded; `why` goes to the audit ("operation 12 (run)").
int load(Catalog& catalog, const QStringList& environmentIds, const QString& why);

} // namespace CredentialLoader
