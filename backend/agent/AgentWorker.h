#pragma once

#include <QObject>
#include <QString>

class Agent;

// One pass of the agent (Agent::Options::once) on a worker thread (WorkerThread), for
// the console when no agent is alive: it runs what is due now, on the agent's own
// runner, then finishes. shutdown() asks a running operation to stop before its point
// of no return.
class AgentWorker : public QObject
{
    Q_OBJECT

public:
    explicit AgentWorker(const QString& catalogFolder);

public Q_SLOTS:
    void run();
    void shutdown();

Q_SIGNALS:
    void message(const QString& text);
    void finished();

private:
    QString m_folder;
    Agent* m_agent = nullptr;
};
