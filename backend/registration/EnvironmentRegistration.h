#pragma once

#include "registration/DatabaseConnectionTest.h"
#include "environment/Environment.h"
#include "environment/EnvironmentDraft.h"

#include <QHash>
#include <QList>
#include <QString>
#include <QStringList>

class Catalog;

// Brings your own environments into the catalog: registers an environment whose
// databases already exist (SQLite files or PostgreSQL databases), changes one,
// removes one. `dataalm env add|edit|remove` and the console's environment dialogs
// both go through here.
//
// A dialog uses it in three steps, so the GUI thread never opens a database:
//   1. prepareAdd()/prepareEdit() on the thread that owns the catalog: every field
//      checked, nothing opened; `problems` name the fields to fix.
//   2. DatabaseConnectionTest::run(outcome.untested) and identify(databasesToCompare())
//      on a worker thread (ConnectionTestWorker does both).
//   3. add()/edit() with Connections::AlreadyTested and those identities.
// The CLI calls add()/edit() with Connections::Test, which does all three.
//
// Promises:
// - Nothing is written unless everything is right: a bad field, a duplicate id, a
//   database another environment already uses (under any name: identities compared,
//   whenever a database is new or moved), or a database that cannot be opened
//   (Refusal::Unreachable) leaves the catalog as it was.
// - A project named for the first time is created (projectCreated says so), with
//   the default data policy.
// - Databases are never created, changed or dropped: removing an environment only
//   forgets it. It is refused while an operation on it is unfinished (as target, or
//   as the source of a refresh that may resume), or while a completed operation
//   keeps a restore point of its databases (sign off or roll back first). Changing
//   an environment is refused while an operation on it is unfinished, and changing
//   its databases or project also while a restore point is kept.
// - One object per catalog connection, used on the thread that owns the catalog.
class EnvironmentRegistration
{
public:
    enum class Refusal
    {
        None,
        Invalid,     // a field is wrong, the id is taken, a database belongs to another environment
        Unknown,     // edit/remove: no such environment
        Unreachable, // a database cannot be opened
        NotAllowed,  // an operation is in the way
        Failed,      // the catalog could not be written
    };
    enum class Connections
    {
        Test,          // open the new databases before writing (the CLI)
        AlreadyTested, // the caller ran DatabaseConnectionTest on `untested` (a dialog's worker)
    };

    // One wrong field: `field` is the draft's member ("id", "project", "type", "tenant",
    // "admin", "application", "platform", "financialReporting", "commerce", "name", or
    // "db:<role>"), so a dialog can mark it.
    struct Problem
    {
        QString field;
        QString message;
    };

    struct Outcome
    {
        Refusal refusal = Refusal::None;
        QList<Problem> problems;
        // Why it was refused, one line per problem ("" when it was not).
        QString message;
        // The environment as registered (or as it would be).
        Environment environment;
        bool projectCreated = false;
        // Edit: the fields that change ("tenant", "db:transactional", ...), empty when nothing does.
        QStringList changed;
        // The databases to open before writing (all of them for an add; the new or
        // moved ones for an edit).
        QList<DatabaseRef> untested;
        // The connection tests that were run.
        QList<DatabaseConnectionTest::Result> connections;
        // Not refusals: e.g. a sandbox whose role cannot refresh it (DatabasePrivileges).
        QStringList warnings;

        bool ok() const { return refusal == Refusal::None; }
    };

    explicit EnvironmentRegistration(Catalog& catalog);

    // The draft on its own (formats, required fields, URLs): no catalog, nothing opened.
    static QList<Problem> checkDraft(const EnvironmentDraft& draft, bool isEdit);
    // Environment and project ids: lower-case letters, digits and the given punctuation.
    static bool isValidEnvironmentId(const QString& id);
    static bool isValidProjectId(const QString& id);

    Outcome prepareAdd(const EnvironmentDraft& draft) const;
    Outcome prepareEdit(const EnvironmentDraft& draft) const;
    // What the engines say each database is (DatabaseEngine::identify), keyed by
    // identityKey(); for a database that cannot be identified, why (marked so that it
    // never equals an identity). Opens every one: off the GUI thread.
    using Identities = QHash<QString, QString>;
    static QString identityKey(const DatabaseRef& ref);
    static Identities identify(const QList<DatabaseRef>& databases);
    // The databases add()/edit() compare after prepareAdd()/prepareEdit(): the
    // environment's own and every other environment's.
    QList<DatabaseRef> databasesToCompare(const Outcome& prepared) const;
    // With AlreadyTested, `identities` are those of databasesToCompare() (a database
    // missing from them counts as one that cannot be identified).
    Outcome add(const EnvironmentDraft& draft, Connections connections = Connections::Test,
                const Identities& identities = {});
    Outcome edit(const EnvironmentDraft& draft, Connections connections = Connections::Test,
                 const Identities& identities = {});
    Outcome remove(const QString& id);

    // What stops environment `id` from being removed now (a sentence naming the
    // operation and what to do), or empty. `restorePointsToo`: count completed
    // operations that keep a restore point.
    QString blocker(const QString& id, bool restorePointsToo) const;

private:
    // The database of another environment (or of the same draft) that `ref` is, as "ENV's ROLE database", or empty.
    QString usedElsewhere(const DatabaseRef& ref, const QString& environmentId) const;
    void checkDatabasesFree(const Environment& environment, const QStringList& roles, Outcome& outcome) const;
    void testAndWarn(Outcome& outcome, Connections connections, const Identities& identities) const;
    // Refuses (as problems) a database that is another environment's, or the same one twice,
    // under another name: `identities` (identify() of databasesToCompare()).
    void checkIdentities(Outcome& outcome, const Identities& identities) const;

    Catalog& m_catalog;
};
