#include "CommandLine.h"

namespace {

// Options that take a value, and flags that do not.
const QSet<QString>& valueOptions()
{
    static const QSet<QString> s = {
        QStringLiteral("catalog"),   QStringLiteral("project"),  QStringLiteral("size-mb"),
        QStringLiteral("postgres"),  QStringLiteral("source"),   QStringLiteral("target"),
        QStringLiteral("env"),       QStringLiteral("out"),      QStringLiteral("package"),
        QStringLiteral("policy"),    QStringLiteral("url"),      QStringLiteral("type"),
        QStringLiteral("tenant"),    QStringLiteral("admin"),    QStringLiteral("application"),
        QStringLiteral("platform"),  QStringLiteral("financial-reporting"), QStringLiteral("commerce"),
        QStringLiteral("db"),        QStringLiteral("name"),     QStringLiteral("point"),     QStringLiteral("backup"),    QStringLiteral("time"),
        QStringLiteral("stanza"),    QStringLiteral("config"),    QStringLiteral("os-user"),
        QStringLiteral("production"), QStringLiteral("other"),
        QStringLiteral("window-start"), QStringLiteral("window-end"), QStringLiteral("minutes"),
        QStringLiteral("zone"),      QStringLiteral("every"),    QStringLiteral("labels"),
        QStringLiteral("role"),      QStringLiteral("since"),    QStringLiteral("reason"),   QStringLiteral("hours"),
        QStringLiteral("as"),
    };
    return s;
}

const QSet<QString>& flagOptions()
{
    static const QSet<QString> s = {
        QStringLiteral("json"),    QStringLiteral("help"),   QStringLiteral("version"), QStringLiteral("yes"),
        QStringLiteral("shared"),  QStringLiteral("verbose"), QStringLiteral("reprovision"), QStringLiteral("default"),
        QStringLiteral("once"),    QStringLiteral("force"),  QStringLiteral("no-wait"),
        QStringLiteral("agent"),   QStringLiteral("csv"),    QStringLiteral("read-only"), QStringLiteral("read-write"),
    };
    return s;
}

} // namespace

const QStringList& CommandLine::globalOptions()
{
    static const QStringList g = {QStringLiteral("catalog"), QStringLiteral("json"), QStringLiteral("help"),
                                  QStringLiteral("version"), QStringLiteral("verbose")};
    return g;
}

bool CommandLine::parse(const QStringList& args, QString* error)
{
    bool onlyPositional = false;
    for (int i = 0; i < args.size(); ++i) {
        const QString& a = args.at(i);
        if (onlyPositional || !a.startsWith(QLatin1Char('-')) || a == QLatin1String("-")) {
            m_positional << a;
            continue;
        }
        if (a == QLatin1String("--")) {
            onlyPositional = true;
            continue;
        }
        QString name;
        QString value;
        bool hasValue = false;
        if (a == QLatin1String("-h")) {
            name = QStringLiteral("help");
        } else if (a == QLatin1String("-v")) {
            name = QStringLiteral("verbose");
        } else if (a == QLatin1String("-y")) {
            name = QStringLiteral("yes");
        } else if (a.startsWith(QLatin1String("--"))) {
            name = a.mid(2);
            const int eq = name.indexOf(QLatin1Char('='));
            if (eq >= 0) {
                value = name.mid(eq + 1);
                name = name.left(eq);
                hasValue = true;
            }
        } else {
            *error = QStringLiteral("unknown option %1 (see dataalm --help)").arg(a);
            return false;
        }
        if (valueOptions().contains(name)) {
            if (!hasValue) {
                // "--catalog --json" forgot the value: never take an option for one (--opt=--x can).
                if (i + 1 >= args.size() || args.at(i + 1).startsWith(QLatin1String("--"))) {
                    *error = QStringLiteral("option --%1 needs a value").arg(name);
                    return false;
                }
                value = args.at(++i);
            }
            if (value.isEmpty()) {
                *error = QStringLiteral("option --%1 needs a non-empty value").arg(name);
                return false;
            }
            m_values[name].append(value);
        } else if (flagOptions().contains(name)) {
            if (hasValue) {
                *error = QStringLiteral("option --%1 takes no value").arg(name);
                return false;
            }
            m_flags.insert(name);
        } else {
            *error = QStringLiteral("unknown option --%1 (see dataalm --help)").arg(name);
            return false;
        }
    }
    return true;
}

QStringList CommandLine::options() const
{
    QStringList all(m_flags.begin(), m_flags.end());
    for (auto it = m_values.cbegin(); it != m_values.cend(); ++it)
        all << it.key();
    all.sort();
    return all;
}

bool CommandLine::onlyAllows(const QStringList& allowed, const QString& command, QString* error) const
{
    for (const QString& o : options()) {
        if (!allowed.contains(o) && !globalOptions().contains(o)) {
            *error = QStringLiteral("%1 does not take --%2 (see dataalm --help)").arg(command, o);
            return false;
        }
    }
    return true;
}

bool CommandLine::intValue(const QString& option, int* out, QString* error, int min, int max) const
{
    bool ok = false;
    const int v = value(option).toInt(&ok);
    if (!ok || v < min || v > max) {
        *error = QStringLiteral("--%1 takes a whole number from %2 to %3, not '%4'")
                     .arg(option)
                     .arg(min)
                     .arg(max)
                     .arg(value(option));
        return false;
    }
    *out = v;
    return true;
}
