#pragma once

#include "package/PackageAsset.h"

#include <QDialog>
#include <optional>

class GridView;
class PackageListModel;
class QDialogButtonBox;
class QLabel;

// "Import from the shared library": the built-in packages (SharedLibrary), one of
// which the user chooses to import into the project's asset library. The dialog only
// chooses; the asset library dialog imports.
class SharedLibraryDialog : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY(SharedLibraryDialog)

public:
    SharedLibraryDialog(const QString& catalogFolder, QWidget* parent = nullptr);

    // The chosen package, or nullopt.
    std::optional<PackageAsset> selected() const;
    // Selects the package named `name`; false if the library has none.
    bool select(const QString& name);

private:
    void updateSelection();

    PackageListModel* m_model;
    GridView* m_view = nullptr;
    QLabel* m_description = nullptr;
    QDialogButtonBox* m_buttons = nullptr;
};
