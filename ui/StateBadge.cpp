#include "StateBadge.h"

StateBadge::StateBadge(QWidget* parent) : QLabel(parent)
{
    setAlignment(Qt::AlignCenter);
    setSizePolicy(QSizePolicy::Fixed, QSizePolicy::Fixed);
    setState({});
}

void StateBadge::setState(const QString& state)
{
    m_state = state;
    // Background / text pairs with a contrast ratio above 4.5:1.
    QString background = QStringLiteral("#edebe9");
    QString foreground = QStringLiteral("#323130");
    if (state == QLatin1String("Deployed")) {
        background = QStringLiteral("#dff6dd");
        foreground = QStringLiteral("#0b5a08");
    } else if (state == QLatin1String("Servicing")) {
        background = QStringLiteral("#deecf9");
        foreground = QStringLiteral("#004578");
    } else if (state == QLatin1String("Failed")) {
        background = QStringLiteral("#fde7e9");
        foreground = QStringLiteral("#a80000");
    }
    setStyleSheet(QStringLiteral("QLabel { background: %1; color: %2; border-radius: 9px; padding: 2px 10px; "
                                 "font-weight: 600; }")
                      .arg(background, foreground));
    setText(state.isEmpty() ? tr("Unknown") : state);
    setToolTip(state == QLatin1String("Servicing") ? tr("An operation is running on this environment.")
               : state == QLatin1String("Failed")  ? tr("The last operation on this environment failed.")
                                                   : QString());
    setVisible(!state.isEmpty());
}
