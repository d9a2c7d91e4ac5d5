#pragma once

#include <QByteArray>

struct OperationRecord;

// Writes `dataalm operations --json`: each operation as `operation ID --json` prints
// it (OperationRecord::toJson() without params, indented as QJsonDocument::Indented
// indents it, keys in its sorted order), appended to a byte buffer without building
// a QJsonObject and formatting a QDateTime per value: a listing of 100,000 operations
// and their steps streams at the speed of the catalog.
//
// Promise: append(r, level) is, byte for byte, the text QJsonDocument(r.toJson())
// .toJson(Indented) gives for a record without params (its final newline left out),
// every line after the first indented by `level` more levels of four spaces.
class OperationListWriter
{
public:
    static void append(QByteArray& out, const OperationRecord& record, int level);
};
