#pragma once

#include <QJsonObject>
#include <QString>

// The verdict of one preflight check: a stable id (docs/ARCHITECTURE.md's table), pass, warn
// or fail, and a sentence a person can act on.
struct CheckResult
{
    enum Verdict { Pass, Warn, Fail };

    QString id;
    Verdict verdict = Pass;
    QString message;

    static QString verdictName(Verdict v);
    QJsonObject toJson() const;
};
