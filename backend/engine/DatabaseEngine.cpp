#include "engine/DatabaseEngine.h"

#include "engine/SqliteEngine.h"

std::unique_ptr<DatabaseEngine> DatabaseEngine::forDatabase(const DatabaseRef& ref)
{
    if (ref.isSqlite())
        return std::make_unique<SqliteEngine>();
    return nullptr;
}
