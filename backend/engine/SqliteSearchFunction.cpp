#include "engine/SqliteSearchFunction.h"

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QVarLengthArray>

#include <sqlite3.h>

#include <algorithm>
#include <string.h> // memmem
#include <vector>

namespace {

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

QByteArray lowered(QByteArrayView text)
{
    QByteArray out(text.size(), Qt::Uninitialized);
    std::transform(text.begin(), text.end(), out.begin(), asciiLower);
    return out;
}

// The needles of one statement, lowered (an empty one is in every text).
using Needles = std::vector<QByteArray>;

const Needles* needlesOf(sqlite3_context* ctx, sqlite3_value* json)
{
    if (const auto* known = static_cast<const Needles*>(sqlite3_get_auxdata(ctx, 1)))
        return known;
    const QByteArray text(reinterpret_cast<const char*>(sqlite3_value_text(json)), sqlite3_value_bytes(json));
    const QJsonDocument doc = QJsonDocument::fromJson(text);
    if (!doc.isArray()) {
        sqlite3_result_error(ctx, "dataalm_contains_any: the needles are not a JSON array", -1);
        return nullptr;
    }
    auto* needles = new Needles;
    for (const QJsonValue& v : doc.array()) {
        if (!v.isString()) {
            delete needles;
            sqlite3_result_error(ctx, "dataalm_contains_any: a needle is not a string", -1);
            return nullptr;
        }
        needles->push_back(lowered(v.toString().toUtf8()));
    }
    sqlite3_set_auxdata(ctx, 1, needles, [](void* p) { delete static_cast<Needles*>(p); });
    // SQLite may have freed them at once (out of memory): ask again.
    return static_cast<const Needles*>(sqlite3_get_auxdata(ctx, 1));
}

void containsAny(sqlite3_context* ctx, int, sqlite3_value** argv)
{
    const Needles* needles = needlesOf(ctx, argv[1]);
    if (!needles)
        return;
    if (sqlite3_value_type(argv[0]) == SQLITE_NULL) {
        sqlite3_result_int(ctx, 0);
        return;
    }
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(argv[0]));
    const int size = sqlite3_value_bytes(argv[0]);
    QVarLengthArray<char, 2048> hay(size);
    std::transform(text, text + size, hay.data(), asciiLower);
    for (const QByteArray& n : *needles) {
        if (memmem(hay.constData(), size_t(size), n.constData(), size_t(n.size()))) {
            sqlite3_result_int(ctx, 1);
            return;
        }
    }
    sqlite3_result_int(ctx, 0);
}

} // namespace

namespace SqliteSearchFunction {

bool install(sqlite3* db, QString* error)
{
    const int rc = sqlite3_create_function_v2(db, "dataalm_contains_any", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC,
                                              nullptr, containsAny, nullptr, nullptr, nullptr);
    if (rc != SQLITE_OK) {
        if (error)
            *error = QString::fromUtf8(sqlite3_errmsg(db));
        return false;
    }
    return true;
}

} // namespace SqliteSearchFunction
