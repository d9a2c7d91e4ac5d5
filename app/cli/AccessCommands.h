#pragma once

#include "CliContext.h"

// `dataalm access request|list|revoke`: just-in-time access to an environment's
// PostgreSQL database on a team catalog (AccessGrantStore; an agent makes and removes the
// logins). `request` makes the password here, prints it once (never with --json) and
// hands the server only its SCRAM verifier; then it waits for an agent to create the
// login (--no-wait: it does not).
class AccessCommands
{
public:
    explicit AccessCommands(CliContext& context);

    int run();

private:
    int request();
    int list();
    int revoke();
    // Waits for grant `id` to leave `state`; its new state, or empty when stopped waiting.
    QString waitWhile(qint64 id, const QString& state);

    CliContext& m_ctx;
};
