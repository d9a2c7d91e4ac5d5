#include "engine/DatabaseEngine.h"

#include "engine/PostgresEngine.h"
#include "engine/SqliteEngine.h"

std::unique_ptr<DatabaseEngine> DatabaseEngine::forDatabase(const DatabaseRef& ref)
{
    if (ref.isSqlite())
        return std::make_unique<SqliteEngine>();
    if (ref.isPostgres())
        return std::make_unique<PostgresEngine>();
    return nullptr;
}
