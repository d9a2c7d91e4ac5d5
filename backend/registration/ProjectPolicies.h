#pragma once

#include "policy/DataPolicy.h"

#include <QString>
#include <optional>

class Catalog;

// Which data policy each project's refreshes apply: the built-in default one (for
// Dynamics 365 databases), or the project's own file for another schema, kept in
// the catalog folder as policies/<project>.json. `dataalm project policy` and the
// console's project settings go through here; RefreshRequest::policyPathFor and the
// preflight read the path it records (Catalog::setProjectPolicy).
//
// Promises:
// - install() accepts only a well-formed policy (DataPolicy::fromJson: the message
//   names each bad rule) and writes exactly the bytes it checked: beside the final
//   name, then renamed over it, so a reader sees the old file or the new one, never
//   a part. Nothing changes when it refuses.
// - The policy of a project does not change under an operation that still reads it:
//   install() and useDefault() are refused while an operation of the project is
//   unfinished (NotStarted, InProgress, Failed awaiting resume).
// - Uses the catalog on the thread that owns it; reads no environment database.
class ProjectPolicies
{
public:
    enum class Refusal
    {
        None,
        UnknownProject,
        InvalidPolicy, // the file cannot be read or is not a valid policy
        NotAllowed,    // an operation of the project still reads its policy
        Failed,        // the copy or the catalog could not be written
    };

    explicit ProjectPolicies(Catalog& catalog);

    // <catalog folder>/policies/<project>.json
    QString pathFor(const QString& projectId) const;
    // Checks `file`, copies it to pathFor() and makes it the project's policy.
    bool install(const QString& projectId, const QString& file, QString* error, Refusal* refusal = nullptr);
    // Back to the built-in default policy; the project's copy is removed.
    bool useDefault(const QString& projectId, QString* error, Refusal* refusal = nullptr);
    // Makes `policy` (the project's policy with a column marked reviewed, or a rule added:
    // `change` says which, for the log and the audit) the project's own, as install() does.
    bool installPolicy(const QString& projectId, const DataPolicy& policy, const QString& change, QString* error,
                       Refusal* refusal = nullptr);
    // The policy the project's refreshes apply; `path` gets its file (empty: the built-in default).
    std::optional<DataPolicy> policy(const QString& projectId, QString* path, QString* error) const;
    // The operation that stops the project's policy from changing now (a sentence), or empty.
    QString blocker(const QString& projectId) const;

private:
    bool installBytes(const QString& projectId, const QByteArray& bytes, const QString& file, QString* error,
                      Refusal* refusal);
    bool refuse(Refusal why, const QString& message, QString* error, Refusal* refusal) const;

    Catalog& m_catalog;
};
