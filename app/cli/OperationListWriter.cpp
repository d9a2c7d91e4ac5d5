#include "OperationListWriter.h"

#include "operation/OperationRecord.h"

#include <QDate>
#include <QTime>

namespace {

void indent(QByteArray& out, int level)
{
    out.append(level * 4, ' ');
}

// A JSON string as Qt's writer escapes it: the quote, the backslash and the control
// characters; UTF-8 otherwise.
void appendString(QByteArray& out, const QString& s)
{
    static const char hex[] = "0123456789abcdef";
    const QByteArray utf8 = s.toUtf8();
    out.append('"');
    for (const char c : utf8) {
        const auto u = static_cast<unsigned char>(c);
        switch (c) {
        case '"':
            out.append("\\\"", 2);
            break;
        case '\\':
            out.append("\\\\", 2);
            break;
        case '\b':
            out.append("\\b", 2);
            break;
        case '\f':
            out.append("\\f", 2);
            break;
        case '\n':
            out.append("\\n", 2);
            break;
        case '\r':
            out.append("\\r", 2);
            break;
        case '\t':
            out.append("\\t", 2);
            break;
        default:
            if (u < 0x20) {
                const char escaped[] = {'\\', 'u', '0', '0', hex[u >> 4], hex[u & 15]};
                out.append(escaped, 6);
            } else {
                out.append(c);
            }
        }
    }
    out.append('"');
}

// As timeJson(): UTC, ISO 8601 with milliseconds ("2026-12-02T05:42:30.290Z"), or null.
void appendTime(QByteArray& out, const QDateTime& t)
{
    if (!t.isValid()) {
        out.append("null", 4);
        return;
    }
    const QDateTime utc = t.toUTC();
    int y = 0, mo = 0, d = 0;
    utc.date().getDate(&y, &mo, &d);
    const QTime time = utc.time();
    if (y < 0 || y > 9999) { // outside what four digits hold: as Qt spells it
        appendString(out, utc.toString(Qt::ISODateWithMs));
        return;
    }
    char buf[27] = "\"0000-00-00T00:00:00.000Z\"";
    const auto put = [&buf](int at, int n, int value) {
        for (int i = at + n - 1; i >= at; --i, value /= 10)
            buf[i] = char('0' + value % 10);
    };
    put(1, 4, y);
    put(6, 2, mo);
    put(9, 2, d);
    put(12, 2, time.hour());
    put(15, 2, time.minute());
    put(18, 2, time.second());
    put(21, 3, time.msec());
    out.append(buf, 26);
}

void appendKey(QByteArray& out, int level, const char* key)
{
    indent(out, level);
    out.append('"');
    out.append(key);
    out.append("\": ", 3);
}

void appendNumber(QByteArray& out, qint64 n)
{
    out.append(QByteArray::number(n));
}

void appendStep(QByteArray& out, const StepRecord& s, int level)
{
    out.append("{\n", 2);
    const bool progress = s.total > 0 || s.done > 0;
    if (s.bytes > 0) {
        appendKey(out, level + 1, "bytes");
        appendNumber(out, s.bytes);
        out.append(",\n", 2);
    }
    appendKey(out, level + 1, "detail");
    appendString(out, s.detail);
    out.append(",\n", 2);
    if (progress) {
        appendKey(out, level + 1, "done");
        appendNumber(out, s.done);
        out.append(",\n", 2);
    }
    appendKey(out, level + 1, "finished");
    appendTime(out, s.finished);
    out.append(",\n", 2);
    appendKey(out, level + 1, "name");
    appendString(out, s.name);
    out.append(",\n", 2);
    appendKey(out, level + 1, "ordinal");
    appendNumber(out, s.ordinal);
    out.append(",\n", 2);
    appendKey(out, level + 1, "started");
    appendTime(out, s.started);
    out.append(",\n", 2);
    appendKey(out, level + 1, "state");
    appendString(out, stepStateName(s.state));
    if (progress) {
        out.append(",\n", 2);
        appendKey(out, level + 1, "total");
        appendNumber(out, s.total);
    }
    out.append('\n');
    indent(out, level);
    out.append('}');
}

void appendStringOrNull(QByteArray& out, const QString& s)
{
    if (s.isEmpty())
        out.append("null", 4);
    else
        appendString(out, s);
}

} // namespace

void OperationListWriter::append(QByteArray& out, const OperationRecord& r, int level)
{
    out.append("{\n", 2);
    appendKey(out, level + 1, "error");
    appendStringOrNull(out, r.error);
    out.append(",\n", 2);
    appendKey(out, level + 1, "finished");
    appendTime(out, r.finished);
    out.append(",\n", 2);
    appendKey(out, level + 1, "id");
    appendNumber(out, r.id);
    out.append(",\n", 2);
    appendKey(out, level + 1, "kind");
    appendString(out, r.kind);
    out.append(",\n", 2);
    appendKey(out, level + 1, "project");
    appendString(out, r.projectId);
    out.append(",\n", 2);
    appendKey(out, level + 1, "source");
    appendStringOrNull(out, r.source);
    out.append(",\n", 2);
    appendKey(out, level + 1, "started");
    appendTime(out, r.started);
    out.append(",\n", 2);
    appendKey(out, level + 1, "state");
    appendString(out, operationStateName(r.state));
    out.append(",\n", 2);
    appendKey(out, level + 1, "steps");
    if (r.steps.isEmpty()) {
        out.append("[\n", 2);
        indent(out, level + 1);
        out.append(']');
    } else {
        out.append("[\n", 2);
        for (qsizetype i = 0; i < r.steps.size(); ++i) {
            indent(out, level + 2);
            appendStep(out, r.steps.at(i), level + 2);
            out.append(i + 1 < r.steps.size() ? ",\n" : "\n");
        }
        indent(out, level + 1);
        out.append(']');
    }
    out.append(",\n", 2);
    appendKey(out, level + 1, "target");
    appendString(out, r.target);
    out.append(",\n", 2);
    appendKey(out, level + 1, "who");
    appendString(out, r.who);
    out.append('\n');
    indent(out, level);
    out.append('}');
}
