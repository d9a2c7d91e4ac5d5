#include "registration/CredentialLoader.h"

#include "catalog/Catalog.h"
#include "catalog/CredentialStore.h"
#include "engine/PostgresPasswords.h"

namespace CredentialLoader {

int load(Catalog& catalog, const QStringList& environmentIds, const QString& why)
{
    QStringList ids;
    for (const QString& id : environmentIds) {
        if (!id.isEmpty() && !ids.contains(id))
            ids << id;
    }
    const QList<CredentialStore::ForConnection> credentials = CredentialStore(catalog).forAgent(ids, why);
    for (const CredentialStore::ForConnection& c : credentials)
        PostgresPasswords::set(c.host, c.port, c.login, c.secret);
    return int(credentials.size());
}

} // namespace CredentialLoader
