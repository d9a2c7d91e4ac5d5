#include "FileDialog.h"

#include <QFileDialog>

QString FileDialog::s_nextSaveFileName;
bool FileDialog::s_hasNext = false;

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
