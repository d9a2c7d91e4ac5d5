#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <QStringList>
#include <QVarLengthArray>
#include <QVariant>
#include <array>
#include <limits>
#include <memory>
#include <optional>

// The pseudonyms of the `mask` action (docs/data-policy.md "Masking"): deterministic,
// format-keeping replacement values, computed from a project's secret and the value.
//
// Promises:
// - The same secret, kind and value give the same pseudonym, in any table, on any run and
//   on both engines (this class for SQLite, postgresFunctions() for PostgreSQL compute the
//   same thing; integers and text agree exactly): joins and duplicates behave as in the source.
// - A pseudonym is SHA-256 of (secret, kind, value) shaped by the kind: without the secret
//   nothing leads back to the value. Another secret (another project) gives other pseudonyms.
// - Formats are kept: an email becomes first.last.<10 hex>@example.com (a reserved domain),
//   a name "First Last" from fixed word lists, a phone number keeps every character but its
//   digits, text keeps its length, case and punctuation, a number keeps its sign and its count
//   of digits (so it stays in the same range; a fraction below one stays below one).
// - NULL and the empty string stay as they are; a value of another type is left alone.
// - Stateless but for the secret: one object may serve several threads.
class Masker
{
public:
    enum class Kind
    {
        Email,
        Name,
        FirstName,
        LastName,
        Phone,
        Text,
        Number
    };

    explicit Masker(const QString& secret);

    // "email", "name", "first-name", "last-name", "phone", "text", "number".
    static QString kindName(Kind kind);
    static std::optional<Kind> kindFromName(const QString& name);
    static std::optional<Kind> kindFromName(QByteArrayView name);
    static QStringList kindNames();
    // Whether the kind writes text (all but number).
    static bool writesText(Kind kind) { return kind != Kind::Number; }
    // The longest pseudonym of `kind` in characters; -1 when it is as long as the value
    // (phone, text) or a number.
    static int longest(Kind kind);
    // The reserved domain of masked email addresses.
    static QString emailDomain() { return QStringLiteral("example.com"); }

    // The pseudonym of `value` (a string, an integer or a double).
    QVariant mask(Kind kind, const QVariant& value) const;
    QString maskText(Kind kind, const QString& value) const;
    // maskText on UTF-8 bytes (what SQLite hands over), without converting them, into `out`
    // (replacing what it held): no allocation for pseudonyms up to 128 bytes.
    using Utf8 = QVarLengthArray<char, 128>;
    void maskUtf8(Kind kind, QByteArrayView value, Utf8& out) const;
    // `maximum`: the largest value the column's type holds (PostgreSQL's smallint, integer).
    // Where it holds fewer numbers than there are of the value's count of digits, the
    // pseudonym is one of those it holds (so it differs from a bigint column's).
    qint64 maskInteger(qint64 value, qint64 maximum = std::numeric_limits<qint64>::max()) const;
    double maskReal(double value) const;

    // A new random secret: 64 hex characters from the system's secure generator.
    static QString newSecret();

    // CREATE FUNCTION statements of pg_temp.dataalm_mask(secret, kind, text),
    // pg_temp.dataalm_mask_number(secret, numeric) and pg_temp.dataalm_mask_number(secret, bigint,
    // maximum) (maskInteger), PostgreSQL's twins of mask(), and of
    // the functions of each kind that take the value's digest (postgresDigest): run on the
    // connection that applies a policy (they last as long as the session).
    static QStringList postgresFunctions();
    // The SQL expression of hash(kind, value) on PostgreSQL: a bytea, from SQL expressions of
    // the secret, the kind and the value (as text).
    static QString postgresDigest(const QString& secret, const QString& kind, const QString& value);

    using Digest = std::array<unsigned char, 32>;

private:
    // SHA-256 of the secret, 0x1f, the kind, 0x1f and the value.
    Digest hash(QByteArrayView kind, QByteArrayView value) const;

    std::shared_ptr<const void> m_state; // SHA256_CTX after the whole 64-byte blocks of "secret 0x1f"
    QByteArray m_tail;                   // the rest of "secret 0x1f"

};
