#include "policy/Masker.h"

#include <QRandomGenerator>
#include <QtEndian>
// SHA256_Init/Update/Final: deprecated by OpenSSL 3 in favour of EVP, which looks the digest up
// (locks, string compares) on every call; these run the same code, with SHA-NI where the CPU has it.
#define OPENSSL_SUPPRESS_DEPRECATED
#include <openssl/sha.h>
#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <vector>

namespace {

// 64 given names and 64 family names: a masked name is one of 4,096 pairs. Changing a
// list changes every pseudonym: add a list beside these rather than editing them.
constexpr QByteArrayView FirstNames[64] = {
    "Ada",    "Alan",    "Alice",  "Amir",   "Anna",   "Aris",   "Bela",   "Boris",  "Carla",  "Chen",
    "Clara",  "Dana",    "Dario",  "Edith",  "Elena",  "Emil",   "Erik",   "Farah",  "Felix",  "Greta",
    "Hana",   "Hugo",    "Ida",    "Igor",   "Ines",   "Ivan",   "Jonas",  "Julia",  "Kai",    "Karin",
    "Lena",   "Leon",    "Lina",   "Luca",   "Maja",   "Marco",  "Mira",   "Nadia",  "Nils",   "Noor",
    "Olga",   "Omar",    "Oskar",  "Paula",  "Pavel",  "Petra",  "Quinn",  "Rafael", "Rosa",   "Sami",
    "Sara",   "Sofia",   "Stefan", "Tara",   "Teo",    "Uma",    "Vera",   "Viktor", "Wanda",  "Yara",
    "Yusuf",  "Zara",    "Zoe",    "Timo"};
constexpr QByteArrayView LastNames[64] = {
    "Adler",  "Baker",   "Berg",   "Brandt", "Carter", "Costa",  "Dahl",   "Diaz",   "Eklund", "Engel",
    "Falk",   "Fischer", "Garcia", "Gray",   "Hansen", "Hart",   "Holm",   "Ito",    "Jansen", "Jensen",
    "Keller", "Klein",   "Koch",   "Lang",   "Larsen", "Lopez",  "Lund",   "Maier",  "Meyer",  "Moreau",
    "Nagy",   "Novak",   "Olsen",  "Ortiz",  "Park",   "Perez",  "Quist",  "Reed",   "Roth",   "Ruiz",
    "Sato",   "Schulz",  "Silva",  "Stone",  "Storm",  "Tanaka", "Thomas", "Torres", "Ueda",   "Vogel",
    "Wagner", "Walsh",   "Weber",  "West",   "Wolf",   "Young",  "Zeller", "Zhang",  "Berger", "Frank",
    "Kovac",  "Moss",    "Rossi",  "Sousa"};

constexpr char Separator = '\x1f';
// In the order of Masker::Kind.
constexpr QByteArrayView KindNames[] = {"email", "name", "first-name", "last-name", "phone", "text", "number"};
constexpr QByteArrayView EmailDomain = "example.com";
// The letters masked text is made of, one per hex digit (the most frequent in English).
constexpr char ShapeLetters[] = "etaoinshrdlucmfw";

using Digest = Masker::Digest;

char asciiLower(char c)
{
    return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c;
}

char hexDigit(int v)
{
    return "0123456789abcdef"[v & 0xf];
}

quint64 leadingBits60(const Digest& h)
{
    // The first 15 hex digits: 60 bits, what PostgreSQL reads as ('x' || 15 hex)::bit(60)::bigint.
    quint64 u = 0;
    for (int i = 0; i < 8; ++i)
        u = (u << 8) | h[i];
    return u >> 4;
}

quint32 fractionBits(const Digest& h)
{
    // Hex digits 17..24: bytes 8..11.
    return (quint32(h[8]) << 24) | (quint32(h[9]) << 16) | (quint32(h[10]) << 8) | quint32(h[11]);
}

// The pseudonym of a non-negative integer: the same count of digits (0-9 for one digit), and
// no more than `maximum` (the lowest number of that count of digits and up, where the type
// holds fewer than all of them).
quint64 maskMagnitude(quint64 magnitude, const Digest& h,
                      quint64 maximum = quint64(std::numeric_limits<qint64>::max()))
{
    int digits = 1;
    for (quint64 m = magnitude; m >= 10; m /= 10)
        ++digits;
    quint64 low = digits == 1 ? 0 : 1;
    for (int i = 1; i < digits; ++i)
        low *= 10;
    const quint64 high = digits >= 19 ? quint64(std::numeric_limits<qint64>::max()) : (digits == 1 ? 9 : low * 10 - 1);
    const quint64 span = std::min(high - low, maximum - low); // how many pseudonyms there are, less one
    return low + leadingBits60(h) % (span + 1);
}

QString pgQuote(const QString& s)
{
    QString q = s;
    q.replace(QLatin1Char('\''), QLatin1String("''"));
    return QLatin1Char('\'') + q + QLatin1Char('\'');
}

// A PostgreSQL text[] of the 64 words, lower-cased when asked: subscripted, not searched.
QString wordArray(const QByteArrayView* words, bool lower)
{
    QStringList list;
    for (int i = 0; i < 64; ++i) {
        const QString word = QString::fromLatin1(words[i]);
        list << pgQuote(lower ? word.toLower() : word);
    }
    return QStringLiteral("(ARRAY[%1])").arg(list.join(QLatin1Char(',')));
}

} // namespace

Masker::Masker(const QString& secret)
{
    // SHA-256 takes 64-byte blocks: the whole blocks of "secret 0x1f" are hashed here, once,
    // and the rest (m_tail) with each value. The digest is the same as hashing it all at once.
    const QByteArray prefix = secret.toUtf8() + Separator;
    const qsizetype whole = prefix.size() - prefix.size() % 64;
    auto* ctx = new SHA256_CTX;
    SHA256_Init(ctx);
    SHA256_Update(ctx, prefix.constData(), size_t(whole));
    m_state = std::shared_ptr<const void>(ctx, [](const void* p) { delete static_cast<const SHA256_CTX*>(p); });
    m_tail = prefix.mid(whole);
}

QString Masker::kindName(Kind kind)
{
    return QString::fromLatin1(KindNames[int(kind)]);
}

std::optional<Masker::Kind> Masker::kindFromName(QByteArrayView name)
{
    for (int k = 0; k < int(std::size(KindNames)); ++k) {
        if (name == KindNames[k])
            return Kind(k);
    }
    return std::nullopt;
}

std::optional<Masker::Kind> Masker::kindFromName(const QString& name)
{
    return kindFromName(QByteArrayView(name.toLatin1()));
}

int Masker::longest(Kind kind)
{
    const auto longestOf = [](const QByteArrayView* words) {
        int n = 0;
        for (int i = 0; i < 64; ++i)
            n = std::max(n, int(words[i].size()));
        return n;
    };
    switch (kind) {
    case Kind::Email:
        return longestOf(FirstNames) + longestOf(LastNames) + 2 + 10 + 1 + int(EmailDomain.size());
    case Kind::Name:
        return longestOf(FirstNames) + 1 + longestOf(LastNames);
    case Kind::FirstName:
        return longestOf(FirstNames);
    case Kind::LastName:
        return longestOf(LastNames);
    case Kind::Phone:
    case Kind::Text:
    case Kind::Number:
        break;
    }
    return -1;
}

QStringList Masker::kindNames()
{
    QStringList names;
    for (Kind k : {Kind::Email, Kind::Name, Kind::FirstName, Kind::LastName, Kind::Phone, Kind::Text, Kind::Number})
        names << kindName(k);
    return names;
}

Masker::Digest Masker::hash(QByteArrayView kind, QByteArrayView value) const
{
    // The secret's blocks are absorbed once (m_state); each value adds 0x1f, kind, 0x1f, value.
    SHA256_CTX ctx = *static_cast<const SHA256_CTX*>(m_state.get());
    const qsizetype tail = m_tail.size() + kind.size() + 1 + value.size();
    Digest d;
    if (tail <= 55) {
        // What SHA256_Update and SHA256_Final would do with a message that ends in this block
        // (the padding: 0x80, zeros, the length in bits), without their copies and clean-up.
        unsigned char block[64] = {};
        unsigned char* p = block;
        std::memcpy(p, m_tail.constData(), size_t(m_tail.size()));
        p += m_tail.size();
        std::memcpy(p, kind.data(), size_t(kind.size()));
        p += kind.size();
        *p++ = Separator;
        std::memcpy(p, value.data(), size_t(value.size()));
        p[value.size()] = 0x80;
        const quint64 bits = (quint64(ctx.Nl) | quint64(ctx.Nh) << 32) + quint64(tail) * 8;
        qToBigEndian(bits, block + 56);
        SHA256_Transform(&ctx, block);
        for (int i = 0; i < 8; ++i)
            qToBigEndian(quint32(ctx.h[i]), d.data() + 4 * i);
        return d;
    }
    SHA256_Update(&ctx, m_tail.constData(), size_t(m_tail.size()));
    SHA256_Update(&ctx, kind.data(), size_t(kind.size()));
    SHA256_Update(&ctx, &Separator, 1);
    SHA256_Update(&ctx, value.data(), size_t(value.size()));
    SHA256_Final(d.data(), &ctx);
    return d;
}

void Masker::maskUtf8(Kind kind, QByteArrayView value, Utf8& out) const
{
    out.clear();
    if (value.isEmpty())
        return;
    if (kind == Kind::Number) {
        // What PostgreSQL's twin reads as an integer: an optional minus and 1 to 18 digits.
        const QByteArrayView digits = value.startsWith('-') ? value.sliced(1) : value;
        const bool integer = !digits.isEmpty() && digits.size() <= 18 &&
                             std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; });
        if (integer) {
            char number[24];
            const auto end = std::to_chars(number, number + sizeof number, maskInteger(value.toLongLong())).ptr;
            out.append(number, end - number);
            return;
        }
        kind = Kind::Phone; // text that is not an integer: its digits, in place
    }
    const Digest h = hash(KindNames[int(kind)], value);
    const QByteArrayView first = FirstNames[h[0] % 64];
    const QByteArrayView last = LastNames[h[1] % 64];
    // Every pseudonym is written through `p` into `out`, sized beforehand: at most the longest
    // pseudonym of its kind, or, for phone and text, the value's bytes (a character becomes one byte).
    const auto put = [](char* p, QByteArrayView bytes) {
        return std::copy(bytes.begin(), bytes.end(), p);
    };
    switch (kind) {
    case Kind::Email: {
        out.resize(first.size() + last.size() + 2 + 10 + 1 + EmailDomain.size());
        char* p = std::transform(first.begin(), first.end(), out.data(), asciiLower);
        *p++ = '.';
        p = std::transform(last.begin(), last.end(), p, asciiLower);
        *p++ = '.';
        for (int i = 2; i < 7; ++i) { // hex digits 5 to 14
            *p++ = hexDigit(h[i] >> 4);
            *p++ = hexDigit(h[i]);
        }
        *p++ = '@';
        put(p, EmailDomain);
        return;
    }
    case Kind::Name:
        out.resize(first.size() + 1 + last.size());
        *put(out.data(), first) = ' ';
        put(out.data() + first.size() + 1, last);
        return;
    case Kind::FirstName:
        out.resize(first.size());
        put(out.data(), first);
        return;
    case Kind::LastName:
        out.resize(last.size());
        put(out.data(), last);
        return;
    case Kind::Phone:
    case Kind::Text:
    case Kind::Number:
        break;
    }
    // The stream: the hex digits of the hash, then of its hash, and so on. The n-th digit of
    // the value becomes the stream's n-th hex digit modulo 10; with text, the n-th lower-case
    // letter becomes ShapeLetters[its n-th hex digit] and the n-th upper-case one that letter's
    // capital. Everything else stays (the bytes of a multi-byte UTF-8 character are all above
    // 0x7f). PostgreSQL does the same with format() (postgresFunctions).
    out.resize(value.size());
    const bool text = kind == Kind::Text;
    const auto shape = [&value, text](char* p, auto nibble) {
        int digits = 0;
        int lowers = 0;
        int uppers = 0;
        for (qsizetype i = 0; i < value.size(); ++i) {
            const auto c = static_cast<unsigned char>(value[i]);
            if (c >= 0x80) {
                // A character outside ASCII (a letter, a full-width digit, an ideograph...) is
                // never kept: a digit in a phone number, a lower-case letter in text.
                while (i + 1 < value.size() && (static_cast<unsigned char>(value[i + 1]) & 0xC0) == 0x80)
                    ++i;
                *p++ = text ? ShapeLetters[nibble(lowers++)] : char('0' + nibble(digits++) % 10);
            } else if (c >= '0' && c <= '9') {
                *p++ = char('0' + nibble(digits++) % 10);
            } else if (text && c >= 'a' && c <= 'z') {
                *p++ = ShapeLetters[nibble(lowers++)];
            } else if (text && c >= 'A' && c <= 'Z') {
                *p++ = char(ShapeLetters[nibble(uppers++)] - 'a' + 'A');
            } else {
                *p++ = char(c);
            }
        }
        return p;
    };
    char* end = nullptr;
    if (value.size() <= 64) { // 64 characters at most: the one hash holds the stream
        end = shape(out.data(), [&h](int n) { return n % 2 == 0 ? h[n / 2] >> 4 : h[n / 2] & 0xf; });
    } else {
        std::vector<Digest> blocks{h};
        end = shape(out.data(), [&blocks](int n) {
            const size_t b = size_t(n / 64);
            while (b >= blocks.size()) {
                Digest next;
                SHA256_CTX ctx;
                SHA256_Init(&ctx);
                SHA256_Update(&ctx, blocks.back().data(), blocks.back().size());
                SHA256_Final(next.data(), &ctx);
                blocks.push_back(next);
            }
            const unsigned char byte = blocks[b][(n % 64) / 2];
            return n % 2 == 0 ? int(byte >> 4) : int(byte & 0xf);
        });
    }
    out.resize(end - out.data());
}

QString Masker::maskText(Kind kind, const QString& value) const
{
    Utf8 masked;
    maskUtf8(kind, value.toUtf8(), masked);
    return QString::fromUtf8(masked.constData(), masked.size());
}

qint64 Masker::maskInteger(qint64 value, qint64 maximum) const
{
    char text[24];
    const auto end = std::to_chars(text, text + sizeof text, value).ptr;
    const Digest h = hash("number", QByteArrayView(text, end - text));
    const quint64 magnitude = value < 0 ? quint64(0) - quint64(value) : quint64(value);
    const quint64 masked = maskMagnitude(magnitude, h, quint64(maximum));
    return value < 0 ? -qint64(masked) : qint64(masked);
}

double Masker::maskReal(double value) const
{
    if (!std::isfinite(value))
        return value;
    if (value == std::trunc(value) && std::fabs(value) < 9.0e18)
        return double(maskInteger(qint64(value)));
    const Digest h = hash("number", QByteArray::number(value, 'g', 17));
    const double magnitude = std::trunc(std::fabs(value));
    // A fraction below one stays below one, as on PostgreSQL (where a numeric(p, p) holds no more).
    const double whole = magnitude == 0.0  ? 0.0
                         : magnitude < 9.0e18 ? double(maskMagnitude(quint64(magnitude), h))
                                              : magnitude;
    const double masked = whole + double(fractionBits(h) % 100) / 100.0;
    return value < 0 ? -masked : masked;
}

QVariant Masker::mask(Kind kind, const QVariant& value) const
{
    if (value.isNull())
        return value;
    switch (value.typeId()) {
    case QMetaType::Int:
    case QMetaType::LongLong:
    case QMetaType::UInt:
    case QMetaType::ULongLong:
        return kind == Kind::Number ? QVariant(maskInteger(value.toLongLong()))
                                    : QVariant(maskText(kind, value.toString()));
    case QMetaType::Double:
        return kind == Kind::Number ? QVariant(maskReal(value.toDouble()))
                                    : QVariant(maskText(kind, QString::number(value.toDouble(), 'g', 17)));
    case QMetaType::QString:
        return maskText(kind, value.toString());
    default:
        return value;
    }
}

QString Masker::newSecret()
{
    QByteArray bytes(32, Qt::Uninitialized);
    QRandomGenerator::system()->fillRange(reinterpret_cast<quint32*>(bytes.data()), 8);
    return QString::fromLatin1(bytes.toHex());
}

QString Masker::postgresDigest(const QString& secret, const QString& kind, const QString& value)
{
    return QStringLiteral("sha256(convert_to(%1 || chr(31) || %2 || chr(31) || %3, 'UTF8'))").arg(secret, kind, value);
}

QStringList Masker::postgresFunctions()
{
    // Every function of a kind takes the value's digest `d` (postgresDigest) and is a single SQL
    // expression that PostgreSQL inlines. An expression names `d` where each part needs it, and
    // PostgreSQL would compute a digest written there once per mention: the UPDATE computes it
    // once per value in a sub-select (PolicySql::mask) and hands it over. They are STABLE, as
    // format() is: PostgreSQL inlines no function whose body is more volatile than it says.
    const QString firsts = wordArray(FirstNames, false);
    const QString lasts = wordArray(LastNames, false);
    const QString email =
        QStringLiteral("CREATE OR REPLACE FUNCTION pg_temp.dataalm_mask_email(d bytea, v text) RETURNS text LANGUAGE sql "
                       "STABLE AS $f$ SELECT CASE WHEN v IS NULL OR v = '' THEN v ELSE "
                       "%1[get_byte(d, 0) %% 64 + 1] || '.' || %2[get_byte(d, 1) %% 64 + 1] || '.' || "
                       "substr(encode(d, 'hex'), 5, 10) || '@%3' END $f$")
            .arg(wordArray(FirstNames, true), wordArray(LastNames, true), emailDomain())
            .replace(QLatin1String("%%"), QLatin1String("%"));
    const QString name =
        QStringLiteral("CREATE OR REPLACE FUNCTION pg_temp.dataalm_mask_name(d bytea, k text, v text) RETURNS text "
                       "LANGUAGE sql STABLE AS $f$ SELECT CASE WHEN v IS NULL OR v = '' THEN v "
                       "WHEN k = 'first-name' THEN %1[get_byte(d, 0) %% 64 + 1] "
                       "WHEN k = 'last-name' THEN %2[get_byte(d, 1) %% 64 + 1] "
                       "ELSE %1[get_byte(d, 0) %% 64 + 1] || ' ' || %2[get_byte(d, 1) %% 64 + 1] END $f$")
            .arg(firsts, lasts)
            .replace(QLatin1String("%%"), QLatin1String("%"));
    const auto pass = [](const QString& input, const QString& characters, const QString& replacements) {
        // Multi-argument arg() substitutes once: the %s and %% of the SQL stay as they are.
        return QStringLiteral("format(regexp_replace(replace(%1, '%', '%%'), '[%2]', '%s', 'g'), VARIADIC "
                              "string_to_array(%3, NULL))")
            .arg(input, characters, replacements);
    };
    const QString lower = QStringLiteral("abcdefghijklmnopqrstuvwxyz");
    // Hex digit to digit (a-f: 0-5): six replace() calls cost less than one translate(), which
    // looks every character up in its list.
    const auto digitsOf = [](const QString& stream) {
        QString digits = stream;
        for (int i = 0; i < 6; ++i)
            digits = QStringLiteral("replace(%1, '%2', '%3')").arg(digits).arg(QChar(u'a' + i)).arg(i);
        return digits;
    };
    const auto lettersOf = [](const QString& stream) {
        return QStringLiteral("translate(%1, '0123456789abcdef', '%2')").arg(stream, QLatin1String(ShapeLetters));
    };
    // Phone: ASCII digits and every character outside ASCII become digits. Text: ASCII digits
    // become digits, a-z and every character outside ASCII lower-case letters, A-Z capitals.
    const auto shaped = [&](const QString& value, const QString& stream, bool text) {
        if (!text)
            return pass(value, QStringLiteral("^\\x01-\\x2f\\x3a-\\x7f"), digitsOf(stream));
        const QString digits = pass(value, QStringLiteral("0-9"), digitsOf(stream));
        const QString lowers = pass(digits, QStringLiteral("^\\x01-\\x60\\x7b-\\x7f"), lettersOf(stream));
        return pass(lowers, lower.toUpper(), QStringLiteral("upper(%1)").arg(lettersOf(stream)));
    };
    // The same for a value of ASCII characters alone, without regular expressions: translate()
    // marks the class's characters with chr(1) (a value holding chr(1) takes the path above).
    const auto asciiPass = [](const QString& input, const QString& characters, const QString& replacements) {
        return QStringLiteral("format(replace(translate(replace(%1, '%', '%%'), '%2', repeat(chr(1), %3)), chr(1), "
                              "'%s'), VARIADIC string_to_array(%4, NULL))")
            .arg(input, characters, QString::number(characters.size()), replacements);
    };
    // The digits' pass (a phone number's only one) marks them with ten replace() calls, for
    // the same reason.
    const auto asciiDigitsPass = [&](const QString& input, const QString& stream) {
        QString marked = QStringLiteral("replace(%1, '%', '%%')").arg(input);
        for (int d = 0; d < 10; ++d)
            marked = QStringLiteral("replace(%1, '%2', '%s')").arg(marked).arg(d);
        return QStringLiteral("format(%1, VARIADIC string_to_array(%2, NULL))").arg(marked, digitsOf(stream));
    };
    const auto asciiShaped = [&](const QString& value, const QString& stream, bool text) {
        const QString digits = asciiDigitsPass(value, stream);
        if (!text)
            return digits;
        const QString lowers = asciiPass(digits, lower, lettersOf(stream));
        return asciiPass(lowers, lower.toUpper(), QStringLiteral("upper(%1)").arg(lettersOf(stream)));
    };
    const QString stream = QStringLiteral("left(encode(d, 'hex'), char_length(v))");
    // Up to 64 characters, one hash gives enough of the stream: an inlined expression.
    const QString shape =
        QStringLiteral("CREATE OR REPLACE FUNCTION pg_temp.dataalm_mask_shape(d bytea, s text, k text, v text) RETURNS "
                       "text LANGUAGE sql STABLE AS $f$ SELECT CASE WHEN v IS NULL OR v = '' THEN v "
                       "WHEN char_length(v) > 64 OR octet_length(v) <> char_length(v) OR strpos(v, chr(1)) > 0 "
                       "THEN pg_temp.dataalm_mask_long(s, k, v) "
                       "WHEN k = 'phone' THEN %1 ELSE %2 END $f$")
            .arg(asciiShaped(QStringLiteral("v"), stream, false), asciiShaped(QStringLiteral("v"), stream, true));
    // Longer, or beyond ASCII: as many hashes as the value needs, regular expressions.
    const QString longer = QStringLiteral(
        "CREATE OR REPLACE FUNCTION pg_temp.dataalm_mask_long(s text, k text, v text) RETURNS text LANGUAGE plpgsql "
        "IMMUTABLE AS $f$ DECLARE b bytea; st text; BEGIN "
        "b := %3; st := encode(b, 'hex'); "
        "WHILE length(st) < char_length(v) LOOP b := sha256(b); st := st || encode(b, 'hex'); END LOOP; "
        "IF k = 'phone' THEN RETURN %1; END IF; RETURN %2; END $f$")
                               .arg(shaped(QStringLiteral("v"), QStringLiteral("left(st, char_length(v))"), false),
                                    shaped(QStringLiteral("v"), QStringLiteral("left(st, char_length(v))"), true),
                                    postgresDigest(QStringLiteral("s"), QStringLiteral("k"), QStringLiteral("v")));
    // The dispatcher by kind (what tests and ad-hoc SQL call); the UPDATEs call the functions above.
    const QString text = QStringLiteral(
        "CREATE OR REPLACE FUNCTION pg_temp.dataalm_mask(s text, k text, v text) RETURNS text LANGUAGE plpgsql "
        "IMMUTABLE AS $f$ BEGIN "
        "IF v IS NULL OR v = '' THEN RETURN v; END IF; "
        "IF k = 'number' THEN IF v ~ '^-?[0-9]{1,18}$' THEN RETURN pg_temp.dataalm_mask_number(s, v::numeric)::text; "
        "END IF; k := 'phone'; END IF; "
        "IF k = 'email' THEN RETURN pg_temp.dataalm_mask_email(%1, v); END IF; "
        "IF k IN ('name', 'first-name', 'last-name') THEN RETURN pg_temp.dataalm_mask_name(%1, k, v); END IF; "
        "IF k IN ('phone', 'text') THEN RETURN pg_temp.dataalm_mask_shape(%1, s, k, v); END IF; "
        "RAISE EXCEPTION 'dataalm_mask: unknown kind %%', k; END $f$")
                             .arg(postgresDigest(QStringLiteral("s"), QStringLiteral("k"), QStringLiteral("v")))
                             .replace(QLatin1String("%%"), QLatin1String("%"));
    // Numbers: the same count of digits and sign (one expression, inlined); a fraction below
    // one stays below one (it has no digit before the point), so that a numeric(p, p) holds it.
    const QString numberDigest = QStringLiteral(
        "sha256(convert_to(s || chr(31) || 'number' || chr(31) || CASE WHEN v = trunc(v) AND abs(v) < "
        "9000000000000000000 THEN trunc(v)::text ELSE v::text END, 'UTF8'))");
    const QString digitCount = QStringLiteral("length(trunc(abs(v))::text)");
    const QString number =
        QStringLiteral(
            "CREATE OR REPLACE FUNCTION pg_temp.dataalm_mask_number(s text, v numeric) RETURNS numeric LANGUAGE sql "
            "STABLE AS $f$ SELECT CASE WHEN v IS NULL THEN NULL ELSE (CASE WHEN v < 0 THEN -1 ELSE 1 END) * ("
            "CASE WHEN v <> trunc(v) AND trunc(v) = 0 THEN 0 ELSE "
            "(CASE WHEN %2 = 1 THEN 0 ELSE trunc(10::numeric ^ (%2 - 1)) END) + "
            "mod(('x' || substr(encode(%1, 'hex'), 1, 15))::bit(60)::bigint::numeric, "
            "CASE WHEN %2 = 1 THEN 10 WHEN %2 >= 19 THEN 9223372036854775807 - trunc(10::numeric ^ 18) + 1 "
            "ELSE trunc(9 * 10::numeric ^ (%2 - 1)) END) END + "
            "CASE WHEN v <> trunc(v) THEN mod(('x' || substr(encode(%1, 'hex'), 17, 8))::bit(32)::bigint, 100) / "
            "100.0 ELSE 0 END) END $f$")
            .arg(numberDigest, digitCount);
    // Integer columns: the same pseudonyms in bigint arithmetic (numeric's power and modulo
    // cost more than the hash), no larger than `t`, the largest value of the column's type
    // (maskMagnitude). Per count of digits, the lowest pseudonym and how many there are, less
    // one; the one value whose magnitude bigint cannot hold takes numeric.
    QStringList lows{QStringLiteral("0")};
    QStringList spans{QStringLiteral("9")};
    quint64 low = 1;
    for (int digits = 2; digits <= 19; ++digits) {
        low *= 10;
        lows << QString::number(low);
        spans << QString::number(digits >= 19 ? quint64(std::numeric_limits<qint64>::max()) - low : 9 * low - 1);
    }
    const QString integer =
        QStringLiteral(
            "CREATE OR REPLACE FUNCTION pg_temp.dataalm_mask_number(s text, v bigint, t bigint) RETURNS bigint "
            "LANGUAGE sql STABLE AS $f$ SELECT CASE WHEN v IS NULL THEN NULL WHEN v = -9223372036854775808 THEN "
            "pg_temp.dataalm_mask_number(s, v::numeric)::bigint ELSE (CASE WHEN v < 0 THEN -1 ELSE 1 END) * "
            "(('{%1}'::bigint[])[length(abs(v)::text)] + ('x' || substr(encode(sha256(convert_to(s || chr(31) || "
            "'number' || chr(31) || v::text, 'UTF8')), 'hex'), 1, 15))::bit(60)::bigint %% "
            "(least(('{%2}'::bigint[])[length(abs(v)::text)], t - ('{%1}'::bigint[])[length(abs(v)::text)]) + 1)) "
            "END $f$")
            .arg(lows.join(QLatin1Char(',')), spans.join(QLatin1Char(',')))
            .replace(QLatin1String("%%"), QLatin1String("%"));
    return {email, name, number, integer, longer, shape, text};
}
