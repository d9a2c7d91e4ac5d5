#pragma once

#include <QCoreApplication>
#include <QString>
#include <QStringList>
#include <optional>

class Catalog;
class DataPolicy;
struct PolicyContext;

// A project's masking secret: the key the `mask` action derives its pseudonyms from
// (policy/Masker.h), made at first use from a secure generator (64 hex characters). With the same
// secret a value gets the same pseudonym on every refresh of the project; without it
// nothing leads back from a pseudonym to the value.
//
// Promises:
// - A team catalog keeps it in project_secrets (migration 17), a table granted to nobody:
//   dataalm_mask_secret(project), a function that runs as the catalog's owner, gives it to
//   agents and the administrator only, and audits each use. People, even Project owners,
//   cannot read it with psql.
// - A one-person catalog keeps it in the OS keychain (Keychain), never in a file.
// - A secret is made once per project: two agents asking at once get the same one.
class ProjectSecrets
{
    Q_DECLARE_TR_FUNCTIONS(ProjectSecrets)

public:
    explicit ProjectSecrets(Catalog& catalog) : m_catalog(catalog) {}

    // The project's masking secret, made if it has none; nullopt with `error` when it cannot
    // be read (a person on a team catalog, no keychain). `why` goes to the audit.
    std::optional<QString> maskSecret(const QString& projectId, const QString& why, QString* error);

    // Puts the project's masking secret into `context` when `policy` has a mask rule (and
    // nothing otherwise): what a job calls before it applies a policy.
    bool fillContext(const QString& projectId, const DataPolicy& policy, const QString& why, PolicyContext* context,
                     QString* error);

    static QStringList migrationStatements();

private:
    Catalog& m_catalog;
};
