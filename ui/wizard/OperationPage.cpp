#include "OperationPage.h"

#include "MoveDatabaseWizard.h"

#include <QButtonGroup>
#include <QLabel>
#include <QRadioButton>
#include <QVBoxLayout>

OperationPage::OperationPage(QWidget* parent) : QWizardPage(parent)
{
    setObjectName(QStringLiteral("operationPage"));
    setTitle(tr("Database operation"));
    setSubTitle(tr("Choose what to do with the databases of this sandbox."));

    auto* layout = new QVBoxLayout(this);
    layout->setSpacing(4);
    auto* group = new QButtonGroup(this);
    QRadioButton* refresh = addChoice(
        layout, tr("&Refresh database"),
        tr("Replace this sandbox's databases with a copy of another environment's, leaving out the data the data "
           "policy keeps from travelling. The sandbox stays online until the final swap, and the refresh can be "
           "rolled back until you sign it off."),
        "refreshChoice", true);
    refresh->setChecked(true);
    group->addButton(refresh);
    group->addButton(addChoice(layout, tr("&Export to the asset library"),
                               tr("Not yet available in DataALM Console: saving a sandbox's database as a backup "
                                  "file in the project's asset library."),
                               "exportChoice", false));
    group->addButton(addChoice(layout, tr("&Import from the asset library"),
                               tr("Not yet available in DataALM Console: replacing a sandbox's database with a backup "
                                  "file from the asset library."),
                               "importChoice", false));
    group->addButton(addChoice(layout, tr("&Point-in-time restore"),
                               tr("Not yet available in DataALM Console: restoring a database as it was at an earlier "
                                  "moment. Until then, roll back a refresh to get the databases back as they were "
                                  "before it."),
                               "pointInTimeChoice", false));
    layout->addStretch(1);
}

QRadioButton* OperationPage::addChoice(QVBoxLayout* layout, const QString& text, const QString& explanation,
                                       const char* objectName, bool available)
{
    auto* button = new QRadioButton(text, this);
    button->setObjectName(QLatin1String(objectName));
    button->setEnabled(available);
    button->setToolTip(explanation);
    auto* label = new QLabel(explanation, this);
    label->setObjectName(QLatin1String(objectName) + QStringLiteral("Explanation"));
    label->setWordWrap(true);
    label->setContentsMargins(24, 0, 0, 10);
    label->setEnabled(true); // readable even next to a disabled choice
    layout->addWidget(button);
    layout->addWidget(label);
    return button;
}

int OperationPage::nextId() const
{
    return MoveDatabaseWizard::Page_Source;
}
