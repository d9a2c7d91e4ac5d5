#include "engine/SqliteMaskFunction.h"

#include "policy/Masker.h"

#include <sqlite3.h>

namespace {

// Every kind, in the order of Masker::Kind, for sqlite3_set_auxdata to point at: the kind
// argument is a bound constant, looked up once per statement rather than once per value.
constexpr Masker::Kind Kinds[] = {Masker::Kind::Email, Masker::Kind::Name,  Masker::Kind::FirstName,
                                  Masker::Kind::LastName, Masker::Kind::Phone, Masker::Kind::Text,
                                  Masker::Kind::Number};

const Masker::Kind* kindOf(sqlite3_context* ctx, sqlite3_value* name)
{
    if (const auto* known = static_cast<const Masker::Kind*>(sqlite3_get_auxdata(ctx, 0)))
        return known;
    const QByteArrayView kindName(reinterpret_cast<const char*>(sqlite3_value_text(name)), sqlite3_value_bytes(name));
    const std::optional<Masker::Kind> kind = Masker::kindFromName(kindName);
    if (!kind) {
        const QByteArray message = "dataalm_mask: unknown kind \"" + kindName.toByteArray() + '"';
        sqlite3_result_error(ctx, message.constData(), int(message.size()));
        return nullptr;
    }
    const Masker::Kind* k = &Kinds[int(*kind)];
    sqlite3_set_auxdata(ctx, 0, const_cast<Masker::Kind*>(k), nullptr);
    return k;
}

void mask(sqlite3_context* ctx, int, sqlite3_value** argv)
{
    const auto* masker = static_cast<const Masker*>(sqlite3_user_data(ctx));
    const Masker::Kind* kind = kindOf(ctx, argv[0]);
    if (!kind)
        return;
    sqlite3_value* value = argv[1];
    const int type = sqlite3_value_type(value);
    if (type == SQLITE_NULL) { // NULL stays NULL
        sqlite3_result_value(ctx, value);
        return;
    }
    if (*kind == Masker::Kind::Number && type == SQLITE_INTEGER) {
        sqlite3_result_int64(ctx, masker->maskInteger(sqlite3_value_int64(value)));
        return;
    }
    if (*kind == Masker::Kind::Number && type == SQLITE_FLOAT) {
        sqlite3_result_double(ctx, masker->maskReal(sqlite3_value_double(value)));
        return;
    }
    // Text, a number in a text kind (as SQLite writes it as text), or a blob in a text
    // column: its bytes masked as text, never passed through.
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(value));
    Masker::Utf8 masked;
    masker->maskUtf8(*kind, QByteArrayView(text, sqlite3_value_bytes(value)), masked);
    sqlite3_result_text(ctx, masked.constData(), int(masked.size()), SQLITE_TRANSIENT);
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
