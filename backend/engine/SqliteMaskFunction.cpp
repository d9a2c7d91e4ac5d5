#include "engine/SqliteMaskFunction.h"

#include "policy/Masker.h"

#include <sqlite3.h>

namespace {

QString textOf(sqlite3_value* v)
{
    return QString::fromUtf8(reinterpret_cast<const char*>(sqlite3_value_text(v)), sqlite3_value_bytes(v));
}

void mask(sqlite3_context* ctx, int, sqlite3_value** argv)
{
    const auto* masker = static_cast<const Masker*>(sqlite3_user_data(ctx));
    const QByteArrayView kindName(reinterpret_cast<const char*>(sqlite3_value_text(argv[0])),
                                  sqlite3_value_bytes(argv[0]));
    const std::optional<Masker::Kind> kind = Masker::kindFromName(kindName);
    if (!kind) {
        const QByteArray message = "dataalm_mask: unknown kind \"" + kindName.toByteArray() + '"';
        sqlite3_result_error(ctx, message.constData(), int(message.size()));
        return;
    }
    sqlite3_value* value = argv[1];
    switch (sqlite3_value_type(value)) {
    case SQLITE_INTEGER:
        if (*kind == Masker::Kind::Number)
            sqlite3_result_int64(ctx, masker->maskInteger(sqlite3_value_int64(value)));
        else
            sqlite3_result_text(ctx, masker->maskText(*kind, textOf(value)).toUtf8().constData(), -1,
                                SQLITE_TRANSIENT);
        return;
    case SQLITE_FLOAT:
        if (*kind == Masker::Kind::Number)
            sqlite3_result_double(ctx, masker->maskReal(sqlite3_value_double(value)));
        else
            sqlite3_result_text(ctx, masker->maskText(*kind, textOf(value)).toUtf8().constData(), -1,
                                SQLITE_TRANSIENT);
        return;
    case SQLITE_BLOB: // a blob in a text column: its bytes masked as text, never passed through
    case SQLITE_TEXT: {
        const QByteArray masked = masker->maskUtf8(
            *kind, QByteArrayView(reinterpret_cast<const char*>(sqlite3_value_text(value)), sqlite3_value_bytes(value)));
        sqlite3_result_text(ctx, masked.constData(), int(masked.size()), SQLITE_TRANSIENT);
        return;
    }
    default: // NULL stays NULL
        sqlite3_result_value(ctx, value);
        return;
    }
}

} // namespace

namespace SqliteMaskFunction {

bool install(sqlite3* db, const QString& secret, QString* error)
{
    auto* masker = new Masker(secret);
    const int rc = sqlite3_create_function_v2(
        db, "dataalm_mask", 2, SQLITE_UTF8 | SQLITE_DETERMINISTIC, masker, mask, nullptr, nullptr,
        [](void* p) { delete static_cast<Masker*>(p); });
    if (rc != SQLITE_OK) {
        if (error)
            *error = QString::fromUtf8(sqlite3_errmsg(db));
        return false;
    }
    return true;
}

} // namespace SqliteMaskFunction
