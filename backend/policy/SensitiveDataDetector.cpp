#include "policy/SensitiveDataDetector.h"

#include <QRegularExpression>

namespace {

// Words of a column name that mark personal or secret data. Longer words first, so that
// PERSONALEMAIL says "email", not "mail".
const QStringList& sensitiveWords()
{
    static const QStringList words{
        QStringLiteral("password"), QStringLiteral("passwd"),   QStringLiteral("passphrase"),
        QStringLiteral("secret"),   QStringLiteral("token"),    QStringLiteral("apikey"),
        QStringLiteral("email"),    QStringLiteral("e_mail"),   QStringLiteral("mail"),
        QStringLiteral("telephone"), QStringLiteral("phone"),   QStringLiteral("mobile"),
        QStringLiteral("fax"),      QStringLiteral("iban"),     QStringLiteral("ssn"),
        QStringLiteral("socialsecurity"), QStringLiteral("passport"), QStringLiteral("taxid"),
        QStringLiteral("birth"),    QStringLiteral("dob"),      QStringLiteral("address"),
        QStringLiteral("street"),   QStringLiteral("postcode"), QStringLiteral("zipcode"),
        QStringLiteral("firstname"), QStringLiteral("lastname"), QStringLiteral("surname"),
        QStringLiteral("fullname"), QStringLiteral("name"),     QStringLiteral("salary"),
        QStringLiteral("creditcard"), QStringLiteral("cardnumber")};
    return words;
}

// Words only looked for as a word of their own: too short (fax, ssn, dob) or inside too
// many harmless names (FILENAME, PRINTERNAME).
bool wholeWordOnly(const QString& word)
{
    return word.size() <= 3 || word == QLatin1String("name");
}

// "PERSONAL_EMAIL" -> [personal, email]; "personalEmail" -> [personal, email].
QStringList wordsOf(const QString& column)
{
    QString spaced;
    for (int i = 0; i < column.size(); ++i) {
        const QChar c = column.at(i);
        if (i > 0 && c.isUpper() && column.at(i - 1).isLower())
            spaced += QLatin1Char(' ');
        spaced += c.isLetter() ? c.toLower() : QChar(u' ');
    }
    return spaced.split(QLatin1Char(' '), Qt::SkipEmptyParts);
}

QString digitsOf(const QString& value)
{
    QString d;
    for (const QChar c : value) {
        if (c.isDigit())
            d += c;
    }
    return d;
}

} // namespace

QString SensitiveDataDetector::ValueEvidence::sentence() const
{
    return QStringLiteral("%1 of %2 sampled values are %3").arg(matches).arg(sampled).arg(kind);
}

QString SensitiveDataDetector::byName(const QString& column)
{
    const QStringList words = wordsOf(column);
    const QString joined = words.join(QString()); // e_mail, first_name...
    for (const QString& w : sensitiveWords()) {
        const QString bare = QString(w).remove(QLatin1Char('_'));
        if (words.contains(bare) || words.contains(w))
            return bare;
        if (!wholeWordOnly(bare) && joined.contains(bare))
            return bare;
    }
    return {};
}

bool SensitiveDataDetector::isEmail(const QString& value)
{
    static const QRegularExpression re(
        QStringLiteral("^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\\.[A-Za-z0-9-]+)*\\.[A-Za-z]{2,}$"));
    return value.size() <= 254 && re.match(value.trimmed()).hasMatch();
}

bool SensitiveDataDetector::isCardNumber(const QString& value)
{
    static const QRegularExpression shape(QStringLiteral("^[0-9][0-9 -]{11,22}[0-9]$"));
    if (!shape.match(value.trimmed()).hasMatch())
        return false;
    const QString d = digitsOf(value);
    if (d.size() < 13 || d.size() > 19)
        return false;
    int sum = 0;
    bool doubled = false;
    for (int i = int(d.size()) - 1; i >= 0; --i) {
        int v = d.at(i).digitValue();
        if (doubled) {
            v *= 2;
            if (v > 9)
                v -= 9;
        }
        sum += v;
        doubled = !doubled;
    }
    return sum % 10 == 0;
}

bool SensitiveDataDetector::isIban(const QString& value)
{
    QString s = value.trimmed().toUpper();
    s.remove(QLatin1Char(' '));
    static const QRegularExpression shape(QStringLiteral("^[A-Z]{2}[0-9]{2}[A-Z0-9]{10,30}$"));
    if (!shape.match(s).hasMatch())
        return false;
    // Move the first four characters to the end, letters as 10..35, and take it modulo 97.
    const QString rearranged = s.mid(4) + s.left(4);
    int remainder = 0;
    for (const QChar c : rearranged) {
        const int v = c.isDigit() ? c.digitValue() : c.unicode() - 'A' + 10;
        remainder = v >= 10 ? (remainder * 100 + v) % 97 : (remainder * 10 + v) % 97;
    }
    return remainder == 1;
}

bool SensitiveDataDetector::isPhoneNumber(const QString& value)
{
    // An optional +, digits with the separators people write (spaces, dashes, dots,
    // parentheses), 7 to 15 digits; not a date, not a plain number without separators
    // unless it starts with + or 0.
    static const QRegularExpression shape(QStringLiteral("^\\+?[0-9 ().-]{6,24}[0-9]$"));
    static const QRegularExpression date(QStringLiteral("^[0-9]{4}-[0-9]{2}-[0-9]{2}"));
    const QString v = value.trimmed();
    if (!shape.match(v).hasMatch() || date.match(v).hasMatch())
        return false;
    const QString d = digitsOf(v);
    if (d.size() < 7 || d.size() > 15)
        return false;
    if (v.startsWith(QLatin1Char('+')) || v.contains(QLatin1Char('(')) || v.contains(QLatin1Char(' ')))
        return true;
    // Dashes or dots alone: only the North American 555-0100 and 425-555-0100 shapes; account
    // numbers such as 640100-022-015 are written that way too.
    static const QRegularExpression northAmerican(QStringLiteral("^([0-9]{3}[-.])?[0-9]{3}[-.][0-9]{4}$"));
    return northAmerican.match(v).hasMatch() || (v.startsWith(QLatin1Char('0')) && d.size() == v.size());
}

std::optional<SensitiveDataDetector::ValueEvidence> SensitiveDataDetector::byValues(const QStringList& values)
{
    int sampled = 0;
    int emails = 0;
    int cards = 0;
    int ibans = 0;
    int phones = 0;
    for (const QString& v : values) {
        if (v.trimmed().isEmpty())
            continue;
        ++sampled;
        if (isEmail(v))
            ++emails;
        else if (isCardNumber(v))
            ++cards;
        else if (isIban(v))
            ++ibans;
        else if (isPhoneNumber(v))
            ++phones;
    }
    const QList<std::pair<QString, int>> kinds{{QStringLiteral("email addresses"), emails},
                                               {QStringLiteral("card numbers"), cards},
                                               {QStringLiteral("IBANs"), ibans},
                                               {QStringLiteral("phone numbers"), phones}};
    std::optional<ValueEvidence> best;
    for (const auto& [kind, n] : kinds) {
        if (n >= 2 && n * 5 >= sampled && (!best || n > best->matches))
            best = ValueEvidence{kind, n, sampled};
    }
    return best;
}

QString SensitiveDataDetector::suggestedMask(const QString& nameWord, const QString& valueKind)
{
    if (valueKind == QLatin1String("email addresses") || nameWord == QLatin1String("email") ||
        nameWord == QLatin1String("mail"))
        return QStringLiteral("email");
    if (valueKind == QLatin1String("phone numbers") || valueKind == QLatin1String("card numbers") ||
        nameWord == QLatin1String("phone") || nameWord == QLatin1String("telephone") ||
        nameWord == QLatin1String("mobile") || nameWord == QLatin1String("fax"))
        return QStringLiteral("phone");
    if (nameWord == QLatin1String("firstname"))
        return QStringLiteral("first-name");
    if (nameWord == QLatin1String("lastname") || nameWord == QLatin1String("surname"))
        return QStringLiteral("last-name");
    if (nameWord == QLatin1String("name") || nameWord == QLatin1String("fullname"))
        return QStringLiteral("name");
    return QStringLiteral("text");
}
