#pragma once

#include <QHash>
#include <QSet>
#include <QString>
#include <QStringList>

// The parsed command line of `dataalm`: positional words and --options, which may
// stand anywhere ("dataalm env show contoso-uat --json"). Knows which options take
// a value; everything else about a command is checked by the command itself.
class CommandLine
{
public:
    // Parses `args` (without the program name). On failure returns false with a
    // one-line message naming the bad argument.
    bool parse(const QStringList& args, QString* error);

    const QStringList& positional() const { return m_positional; }
    // Drops the first positional word: `request refresh ...` is then read as `refresh ...`.
    void shiftPositional() { m_positional.removeFirst(); }
    bool has(const QString& option) const { return m_flags.contains(option) || m_values.contains(option); }
    QString value(const QString& option) const { return m_values.value(option).value(0); }
    QStringList values(const QString& option) const { return m_values.value(option); }
    // The options given, without leading dashes.
    QStringList options() const;
    // Fails with a message if an option not in `allowed` (or the globals) was given.
    bool onlyAllows(const QStringList& allowed, const QString& command, QString* error) const;
    // Reads a whole positive number option; false with a message if it is not one.
    bool intValue(const QString& option, int* out, QString* error, int min = 1, int max = 1 << 30) const;

    static const QStringList& globalOptions();

private:
    QStringList m_positional;
    QSet<QString> m_flags;
    QHash<QString, QStringList> m_values;
};
