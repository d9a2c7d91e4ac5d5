#pragma once

#include <QString>
#include <QVariantList>

// One SQL statement of the policy engine with its parameters, as PolicySql builds
// it: `sql` holds quoted identifiers and bind markers only, never a value; the
// values are in `bindings`, in the order of the markers (?1..?n or $1..$n).
struct PolicyStatement
{
    QString sql;
    QVariantList bindings;
};
