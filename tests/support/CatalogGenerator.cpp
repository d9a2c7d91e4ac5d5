#include "CatalogGenerator.h"

#include "catalog/Catalog.h"
#include "refresh/RefreshRunbook.h"

#include <QByteArray>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSqlError>
#include <QSqlQuery>
#include <QStringList>

namespace {

// A small deterministic generator (xorshift64*), so that a Shape always gives the same catalog.
class Random
{
public:
    explicit Random(quint64 seed) : m_state(seed ? seed : 0x9E3779B97F4A7C15ull) {}
    quint64 next()
    {
        m_state ^= m_state >> 12;
        m_state ^= m_state << 25;
        m_state ^= m_state >> 27;
        return m_state * 0x2545F4914F6CDD1Dull;
    }
    int below(int n) { return int(next() % quint64(n)); }

private:
    quint64 m_state;
};

struct Env
{
    QString id;
    QString project;
    QString type;
};

// Bound as '' (a null QString binds NULL, which the catalog's columns refuse).
const QString Empty = QStringLiteral("");

QString isoTime(const QDateTime& t)
{
    return t.toString(Qt::ISODateWithMs);
}

// The parameters a refresh keeps, about `bytes` long: the policy copy, its report,
// the source's row counts (as many tables as it takes).
QJsonObject refreshParams(const QString& source, const QString& target, int bytes, Random& random)
{
    QJsonObject sourceRows;
    QJsonObject report;
    QJsonArray rules;
    for (int i = 0; i < 12; ++i)
        rules.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("rule-%1").arg(i)},
                                 {QStringLiteral("action"), QStringLiteral("blank")},
                                 {QStringLiteral("tables"),
                                  QJsonArray{QJsonObject{{QStringLiteral("table"), QStringLiteral("TABLE%1").arg(i)},
                                                         {QStringLiteral("updated"), random.below(100000)}}}}});
    report.insert(QString::number(RefreshRunbook::ApplyDataPolicy), QJsonObject{{QStringLiteral("rules"), rules}});
    QJsonObject params{{QStringLiteral("administrator"), QStringLiteral("admin@contoso.onmicrosoft.com")},
                       {QStringLiteral("tenant"), QStringLiteral("contoso.onmicrosoft.com")},
                       {QStringLiteral("policySha256"), QString(64, QLatin1Char('a'))},
                       {QStringLiteral("policyBase64"), QString(std::min(bytes / 4, 4600), QLatin1Char('Q'))},
                       {QStringLiteral("policyReport"), report},
                       {QStringLiteral("source"), source},
                       {QStringLiteral("target"), target}};
    // Tables added until the whole is long enough (an entry is under 30 bytes).
    int tables = 0;
    while (true) {
        params.insert(QStringLiteral("sourceRows"), QJsonObject{{QStringLiteral("transactional"), sourceRows}});
        const int size = int(QJsonDocument(params).toJson(QJsonDocument::Compact).size());
        if (size >= bytes)
            return params;
        for (int more = (bytes - size) / 30 + 1; more > 0; --more, ++tables)
            sourceRows.insert(QStringLiteral("INVENTTRANS%1").arg(tables, 5, 10, QLatin1Char('0')),
                              qint64(random.below(5000000)));
    }
}

} // namespace

bool CatalogGenerator::generate(const QString& folder, const Shape& shape, QString* error)
{
    if (QFileInfo::exists(QDir(folder).filePath(QString::fromLatin1(Catalog::FileName)))) {
        *error = QStringLiteral("%1 already holds a catalog").arg(folder);
        return false;
    }
    if (shape.projects < 1 || shape.environments < 2 * shape.projects || shape.busyOperations > shape.operations) {
        *error = QStringLiteral("a shape needs a project, two environments per project and no more busy operations "
                                "than operations");
        return false;
    }
    Catalog catalog;
    if (!catalog.open(folder, error))
        return false;
    QSqlDatabase db = catalog.database();
    const auto failed = [&](const QSqlQuery& q) {
        *error = q.lastError().text();
        QSqlQuery(db).exec(QStringLiteral("ROLLBACK"));
        return false;
    };
    QSqlQuery(db).exec(QStringLiteral("PRAGMA synchronous = OFF"));
    if (!QSqlQuery(db).exec(QStringLiteral("BEGIN IMMEDIATE"))) {
        *error = db.lastError().text();
        return false;
    }
    Random random(quint64(shape.operations) * 7919 + quint64(shape.environments));
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const QDateTime start = now.addDays(-3 * 365);

    // Projects and environments.
    QSqlQuery project(db);
    project.prepare(QStringLiteral("INSERT INTO projects (id, name, created) VALUES (?, ?, ?)"));
    QSqlQuery env(db);
    env.prepare(QStringLiteral("INSERT INTO environments (id, project_id, name, type, tenant, admin, application, "
                               "platform, financial_reporting, commerce, created) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                               "?, ?)"));
    QSqlQuery database(db);
    database.prepare(QStringLiteral(
        "INSERT INTO environment_databases (environment_id, role, driver, path) VALUES (?, ?, 'sqlite', ?)"));
    QList<Env> envs;
    QList<int> sandboxes; // indexes into envs of the non-production environments
    QHash<QString, QString> production; // project -> its production environment
    const int perProject = shape.environments / shape.projects;
    for (int p = 0; p < shape.projects; ++p) {
        const QString pid = p == 0 ? QStringLiteral("contoso") : QStringLiteral("project%1").arg(p, 2, 10, QLatin1Char('0'));
        project.addBindValue(pid);
        project.addBindValue(p == 0 ? QStringLiteral("Contoso") : QStringLiteral("Project %1").arg(p));
        project.addBindValue(isoTime(start));
        if (!project.exec())
            return failed(project);
        const int count = p == shape.projects - 1 ? shape.environments - perProject * (shape.projects - 1) : perProject;
        for (int i = 0; i < count; ++i) {
            Env e;
            e.project = pid;
            if (i == 0) {
                e.id = pid + QStringLiteral("-prod");
                e.type = QStringLiteral("production");
                production.insert(pid, e.id);
            } else if (i == 1) {
                e.id = pid + QStringLiteral("-uat");
                e.type = QStringLiteral("sandbox");
            } else {
                e.type = i % 3 == 0 ? QStringLiteral("devtest") : QStringLiteral("sandbox");
                e.id = QStringLiteral("%1-%2-%3").arg(pid, e.type == QLatin1String("devtest") ? QStringLiteral("dev")
                                                                                              : QStringLiteral("sbx"))
                           .arg(i, 3, 10, QLatin1Char('0'));
            }
            env.addBindValue(e.id);
            env.addBindValue(pid);
            env.addBindValue(e.id);
            env.addBindValue(e.type);
            env.addBindValue(QStringLiteral("contoso.onmicrosoft.com"));
            env.addBindValue(QStringLiteral("admin@contoso.onmicrosoft.com"));
            env.addBindValue(QStringLiteral("10.0.40"));
            env.addBindValue(64);
            env.addBindValue(Empty);
            env.addBindValue(Empty);
            env.addBindValue(isoTime(start));
            if (!env.exec())
                return failed(env);
            database.addBindValue(e.id);
            database.addBindValue(QStringLiteral("transactional"));
            database.addBindValue(QDir(folder).filePath(QStringLiteral("environments/%1/transactional.db").arg(e.id)));
            if (!database.exec())
                return failed(database);
            if (i > 0)
                sandboxes << int(envs.size());
            envs << e;
        }
    }

    // Operations: the busy ones on contoso-uat (envs[1]), the others spread over the
    // other non-production environments; in time order, so that ids follow time.
    QList<int> targets;
    targets.reserve(shape.operations);
    for (int i = 0; i < shape.operations; ++i)
        targets << -1;
    // Every `step`-th operation is on contoso-uat.
    const double busyStep = shape.busyOperations > 0 ? double(shape.operations) / shape.busyOperations : 0;
    for (int b = 0; b < shape.busyOperations; ++b)
        targets[std::min(shape.operations - 1, int(b * busyStep))] = 1;
    QList<int> others = sandboxes;
    others.removeOne(1);
    for (int i = 0; i < shape.operations; ++i) {
        if (targets[i] < 0)
            targets[i] = others.isEmpty() ? 1 : others.at(random.below(int(others.size())));
    }
    // The newest operation of each target is Completed.
    QSet<int> seen;
    QList<bool> newest(shape.operations, false);
    for (int i = shape.operations - 1; i >= 0; --i) {
        if (!seen.contains(targets[i])) {
            seen.insert(targets[i]);
            newest[i] = true;
        }
    }

    QSqlQuery op(db);
    op.prepare(QStringLiteral("INSERT INTO operations (id, kind, project_id, source, target, state, who, created, "
                              "started, finished, error, params, restore_point) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                              "?, ?, ?)"));
    QSqlQuery step(db);
    step.prepare(QStringLiteral("INSERT INTO operation_steps (operation_id, ordinal, name, state, started, finished, "
                                "done, total, bytes, detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"));
    const QStringList refreshSteps = RefreshRunbook::stepNames();
    const QStringList applySteps = {QStringLiteral("Validate package"), QStringLiteral("Take restore point"),
                                    QStringLiteral("Run pre-deployment script"), QStringLiteral("Deploy"),
                                    QStringLiteral("Run post-deployment script"), QStringLiteral("Verify")};
    const qint64 span = start.secsTo(now);
    const QStringList people = {QStringLiteral("alice"), QStringLiteral("bob"), QStringLiteral("chen"),
                                QStringLiteral("dara"), QStringLiteral("emil")};
    for (int i = 0; i < shape.operations; ++i) {
        const Env& target = envs.at(targets[i]);
        const bool refresh = random.below(10) < 7;
        QString state = QStringLiteral("Completed");
        if (!newest[i]) {
            const int r = random.below(100);
            state = r < 80 ? QStringLiteral("SignedOff")
                           : r < 92 ? QStringLiteral("RollbackCompleted") : QStringLiteral("Aborted");
        }
        const QDateTime created = start.addSecs(span * i / std::max(1, shape.operations));
        const int seconds = 60 + random.below(3600);
        const QDateTime finished = created.addSecs(seconds);
        const QString source = refresh ? production.value(target.project) : Empty;
        QJsonObject params;
        if (refresh) {
            params = refreshParams(source, target.id, shape.paramsBytes, random);
        } else {
            params.insert(QStringLiteral("package"),
                          QJsonObject{{QStringLiteral("name"), QStringLiteral("contoso-customizations")},
                                      {QStringLiteral("version"), QStringLiteral("1.%1.0").arg(i % 50)},
                                      {QStringLiteral("type"), QStringLiteral("customization")}});
        }
        const qint64 id = i + 1;
        op.addBindValue(id);
        op.addBindValue(refresh ? QStringLiteral("refresh") : QStringLiteral("apply"));
        op.addBindValue(target.project);
        op.addBindValue(source);
        op.addBindValue(target.id);
        op.addBindValue(state);
        op.addBindValue(people.at(i % people.size()));
        op.addBindValue(isoTime(created));
        op.addBindValue(isoTime(created));
        op.addBindValue(isoTime(finished));
        op.addBindValue(state == QLatin1String("Aborted") ? QStringLiteral("Aborted by %1").arg(people.at(i % 5))
                                                          : Empty);
        op.addBindValue(QString::fromUtf8(QJsonDocument(params).toJson(QJsonDocument::Compact)));
        op.addBindValue(QStringLiteral("{}"));
        if (!op.exec())
            return failed(op);
        const QStringList& names = refresh ? refreshSteps : applySteps;
        const int doneSteps = state == QLatin1String("Aborted") ? 1 + random.below(int(names.size()) - 1)
                                                                : int(names.size());
        for (int s = 0; s < names.size(); ++s) {
            const bool done = s < doneSteps;
            const QDateTime stepStart = created.addSecs(seconds * s / int(names.size()));
            const QDateTime stepEnd = created.addSecs(seconds * (s + 1) / int(names.size()));
            step.addBindValue(id);
            step.addBindValue(s + 1);
            step.addBindValue(names.at(s));
            step.addBindValue(done ? QStringLiteral("Completed") : QStringLiteral("NotStarted"));
            step.addBindValue(done ? isoTime(stepStart) : Empty);
            step.addBindValue(done ? isoTime(stepEnd) : Empty);
            step.addBindValue(done ? 100 : 0);
            step.addBindValue(done ? 100 : 0);
            step.addBindValue(qint64(0));
            step.addBindValue(done ? QStringLiteral("%1 rows").arg(random.below(100000)) : Empty);
            if (!step.exec())
                return failed(step);
        }
    }
    if (!QSqlQuery(db).exec(QStringLiteral("COMMIT"))) {
        *error = db.lastError().text();
        return false;
    }
    QSqlQuery(db).exec(QStringLiteral("PRAGMA wal_checkpoint(TRUNCATE)"));
    return true;
}
