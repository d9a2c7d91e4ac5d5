#pragma once

#include <QtGlobal>
#include <string_view>

class DemoDatabase;
struct sqlite3_stmt;

// A prepared INSERT of the demo generator, bound column after column:
//   insert.integer(1).text(name).real(2.5).insert();
// Text and blobs are bound without copying: they must stay valid until insert().
// Failures are recorded in the DemoDatabase (see DemoDatabase::ok()).
class DemoStatement
{
public:
    DemoStatement(DemoDatabase& db, const char* sql);
    ~DemoStatement();
    DemoStatement(const DemoStatement&) = delete;
    DemoStatement& operator=(const DemoStatement&) = delete;

    DemoStatement& integer(qint64 value);
    DemoStatement& real(double value);
    DemoStatement& text(std::string_view value);
    DemoStatement& blob(const void* data, int size);
    DemoStatement& null();
    // Runs the statement with the values bound so far and gets ready for the next row.
    void insert();

private:
    DemoDatabase& m_db;
    sqlite3_stmt* m_stmt = nullptr;
    int m_column = 0;
};
