#include "agent/AgentWorker.h"

#include "agent/Agent.h"

AgentWorker::AgentWorker(const QString& catalogFolder)
    : m_folder(catalogFolder)
{
}

void AgentWorker::run()
{
    Agent::Options options;
    options.once = true;
    m_agent = new Agent(m_folder, options, this);
    connect(m_agent, &Agent::message, this, &AgentWorker::message);
    connect(m_agent, &Agent::finished, this, [this] {
        m_agent->stop();
        emit finished();
    });
    QString error;
    if (!m_agent->start(&error)) {
        emit message(error);
        emit finished();
    }
}

void AgentWorker::shutdown()
{
    if (m_agent)
        m_agent->shutdown();
}
