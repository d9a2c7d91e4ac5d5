#pragma once

#include "environment/DatabaseRef.h"

#include <QDateTime>
#include <QString>

// Just-in-time database access on a PostgreSQL server (LCS's "Request access" of
// self-service environments): a temporary login, read-only or read-write on one
// database, valid until an instant (VALID UNTIL, which the server enforces at every
// login), and its removal.
//
// Promises:
// - The password is never handed to the server, nor to anyone but the requester: the
//   requester's process makes a SCRAM-SHA-256 verifier of it with libpq
//   (scramVerifier), and the login is created with that verifier.
// - grant() gives the login CONNECT on the database and, in each of its schemas but the
//   system ones, SELECT on every table (read-only) or SELECT, INSERT, UPDATE, DELETE on
//   every table and USAGE on every sequence (read-write); nothing else.
// - revoke() first makes the login unable to log in (NOLOGIN, no password), ends its
//   sessions, drops what it owns and its privileges in the database, and drops the
//   login; a login already gone is not an error.
// - Identifiers and literals are quoted by the server (format %I, %L).
namespace PostgresAccess {

// The SCRAM-SHA-256 verifier of `password` (libpq's PQencryptPasswordConn, computed
// here: no server is asked). Empty, with `error`, when libpq cannot make one.
QString scramVerifier(const QString& password, const QString& login, QString* error);
// Connects to `database` as its own login (the credential an agent holds) and creates
// `login` there. False with the server's message.
bool grant(const DatabaseRef& database, const QString& login, const QString& verifier, const QDateTime& validUntil,
           bool readWrite, QString* error);
// `note`: set when the role itself could not be dropped (privileges left in another
// database of the server): it can no longer log in either way.
bool revoke(const DatabaseRef& database, const QString& login, QString* error, QString* note = nullptr);
// Whether `login` exists on `database`'s server (tests, and the agent's checks).
bool exists(const DatabaseRef& database, const QString& login, QString* error);

} // namespace PostgresAccess
