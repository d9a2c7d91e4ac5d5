#include "FileDialog.h"

#include <QFileDialog>

QString FileDialog::s_nextSaveFileName;
bool FileDialog::s_hasNext = false;
QString FileDialog::s_nextOpenFileName;
bool FileDialog::s_hasNextOpen = false;

void FileDialog::setNextSaveFileName(const QString& path)
{
    s_nextSaveFileName = path;
    s_hasNext = true;
}

QString FileDialog::getSaveFileName(QWidget* parent, const QString& caption, const QString& suggestedPath,
                                    const QString& filter)
{
    if (s_hasNext) {
        s_hasNext = false;
        return s_nextSaveFileName;
    }
    return QFileDialog::getSaveFileName(parent, caption, suggestedPath, filter);
}

void FileDialog::setNextOpenFileName(const QString& path)
{
    s_nextOpenFileName = path;
    s_hasNextOpen = true;
}

QString FileDialog::getOpenFileName(QWidget* parent, const QString& caption, const QString& folder,
                                    const QString& filter)
{
    if (s_hasNextOpen) {
        s_hasNextOpen = false;
        return s_nextOpenFileName;
    }
    return QFileDialog::getOpenFileName(parent, caption, folder, filter);
}
