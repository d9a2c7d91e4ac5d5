#pragma once

#include "CommandLine.h"
#include "ExitCode.h"

#include <QJsonDocument>
#include <QString>
#include <QStringList>
#include <QTextStream>
#include <memory>

class Catalog;

// `dataalm`, the command-line twin of the console: parses the command line of the
// CLI contract (docs/ARCHITECTURE.md), drives the same backend objects as the console, prints
// the result on stdout (one JSON document with --json) and progress and messages
// on stderr, and returns the contract's exit code.
class CliApplication
{
public:
    CliApplication();
    ~CliApplication();

    // `args` excludes the program name. Needs a QCoreApplication.
    int run(const QStringList& args);

private:
    int usage(const QString& message);
    int fail(int code, const QString& message);
    void printJson(const QJsonDocument& doc);
    void printHelp(QTextStream& to);
    // Opens the catalog and recovers interrupted operations; commands call it once
    // their arguments are checked.
    bool openCatalog(QString* error);

    int cmdDemo();

    CommandLine m_cl;
    QTextStream m_out;
    QTextStream m_err;
    std::unique_ptr<Catalog> m_catalog;
    bool m_json = false;
};
