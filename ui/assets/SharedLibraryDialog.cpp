#include "SharedLibraryDialog.h"

#include "GridView.h"
#include "PackageListModel.h"
#include "package/SharedLibrary.h"

#include <QDialogButtonBox>
#include <QHeaderView>
#include <QItemSelectionModel>
#include <QLabel>
#include <QPushButton>
#include <QVBoxLayout>

SharedLibraryDialog::SharedLibraryDialog(const QString& catalogFolder, QWidget* parent)
    : QDialog(parent), m_model(new PackageListModel(this))
{
    setObjectName(QStringLiteral("sharedLibraryDialog"));
    setWindowTitle(tr("Import from the Shared Library"));

    auto* intro = new QLabel(tr("The shared asset library holds the packages DataALM ships. Choose one to copy into "
                                "the project's asset library."),
                             this);
    intro->setWordWrap(true);

    // The zips are built from the resources on first use: a few kilobytes, quick.
    QString error;
    m_model->setPackages(SharedLibrary(catalogFolder).list(&error));
    m_view = new GridView(this);
    m_view->setObjectName(QStringLiteral("sharedPackageList"));
    m_view->setModel(m_model);
    m_view->setPlaceholderText(error.isEmpty() ? tr("The shared library is empty.") : error);
    m_view->setHeightInRows(3, 8);
    m_view->setColumnHidden(PackageListModel::ImportedColumn, true);
    QHeaderView* header = m_view->header();
    header->setStretchLastSection(true);
    for (int c = PackageListModel::NameColumn; c < PackageListModel::PrerequisitesColumn; ++c)
        header->setSectionResizeMode(c, QHeaderView::ResizeToContents);

    m_description = new QLabel(this);
    m_description->setObjectName(QStringLiteral("sharedPackageDescription"));
    m_description->setWordWrap(true);
    m_description->setMinimumHeight(m_description->fontMetrics().lineSpacing() * 3);
    m_description->setAlignment(Qt::AlignLeft | Qt::AlignTop);

    m_buttons = new QDialogButtonBox(QDialogButtonBox::Cancel, this);
    QPushButton* import = m_buttons->addButton(tr("&Import"), QDialogButtonBox::AcceptRole);
    import->setObjectName(QStringLiteral("importSelectedButton"));
    import->setDefault(true);
    connect(m_buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(m_buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            &SharedLibraryDialog::updateSelection);
    connect(m_view, &QAbstractItemView::doubleClicked, this, &QDialog::accept);

    auto* layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_description);
    layout->addWidget(m_buttons);
    resize(900, 380);
    if (m_model->rowCount() > 0)
        m_view->setCurrentIndex(m_model->index(0, 0));
    updateSelection();
}

std::optional<PackageAsset> SharedLibraryDialog::selected() const
{
    const QModelIndex current = m_view->currentIndex();
    const PackageAsset* p = m_model->packageAt(current.isValid() ? current.row() : -1);
    return p ? std::optional<PackageAsset>(*p) : std::nullopt;
}

bool SharedLibraryDialog::select(const QString& name)
{
    for (int r = 0; r < m_model->rowCount(); ++r) {
        if (m_model->packageAt(r)->name.compare(name, Qt::CaseInsensitive) == 0) {
            m_view->setCurrentIndex(m_model->index(r, 0));
            return true;
        }
    }
    return false;
}

void SharedLibraryDialog::updateSelection()
{
    const auto p = selected();
    m_description->setText(p ? p->description : QString());
    for (QAbstractButton* b : m_buttons->buttons()) {
        if (m_buttons->buttonRole(b) == QDialogButtonBox::AcceptRole)
            b->setEnabled(p.has_value());
    }
}
