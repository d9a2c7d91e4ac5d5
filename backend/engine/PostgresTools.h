#pragma once

#include <QString>
#include <QStringList>
#include <functional>

// PostgreSQL's own client programs (pg_dump, pg_restore), found under
// /usr/lib/postgresql/<newest>/bin or on PATH, run to the end on the calling thread.
//
// Promises: no shell is involved (arguments are passed as they are); a failure
// returns the program's own message (its stderr); `cancelled` is asked every 200 ms
// and kills the program when it says so.
class PostgresTools
{
public:
    // The full path of `program`, or empty with `error` set.
    static QString find(const QString& program, QString* error);
    // Runs `program` with `arguments`; true when it exited 0.
    static bool run(const QString& program, const QStringList& arguments, QString* error,
                    const std::function<bool()>& cancelled = {});
};
