#pragma once

#include <QString>

class QWidget;

// The console's file choosers, with a test hook: a test names the file the next
// getSaveFileName() returns, and no dialog is shown.
class FileDialog
{
public:
    static QString getSaveFileName(QWidget* parent, const QString& caption, const QString& suggestedPath,
                                   const QString& filter);
    // Test hook: the answer of the next getSaveFileName() (empty: as if the user cancelled).
    static void setNextSaveFileName(const QString& path);
    // An existing file to open, with its own test hook (empty: as if the user cancelled).
    static QString getOpenFileName(QWidget* parent, const QString& caption, const QString& folder,
                                   const QString& filter);
    static void setNextOpenFileName(const QString& path);

private:
    static QString s_nextSaveFileName;
    static bool s_hasNext;
    static QString s_nextOpenFileName;
    static bool s_hasNextOpen;
};
