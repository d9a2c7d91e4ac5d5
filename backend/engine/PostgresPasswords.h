#pragma once

#include <QString>

// The passwords a process was given for PostgreSQL logins (a team catalog's credentials,
// which an agent reads for the work it runs: CredentialLoader), by server and login.
// Every libpq connection of the process (PostgresConnection) and every client program it
// starts (PostgresTools: pg_dump, pg_restore, psql) uses the one it finds, unless a
// password is already given another way (the connection string, PGPASSWORD, ~/.pgpass
// is libpq's own, which comes after).
//
// Promises: thread-safe; held in memory only, never written to a file or a log; handed
// to libpq as a keyword of PQconnectdbParams and to a child program as PGPASSWORD in its
// environment alone, never on a command line (which `ps` shows).
namespace PostgresPasswords {

void set(const QString& host, int port, const QString& login, const QString& password);
// Empty when none is known.
QString find(const QString& host, int port, const QString& login);
// The one for the server and login a libpq connection string names (its login libpq's
// default when it names none: PGUSER, else the OS user); empty when the string holds a
// password itself or none is known.
QString forConninfo(const QString& conninfo);
// How many are held (tests).
int count();
void clear();
// Makes this process leave no core dump (RLIMIT_CORE 0, not dumpable): set() does it
// before it holds a password, and so does whatever reads one.
void forbidCoreDumps();

} // namespace PostgresPasswords
