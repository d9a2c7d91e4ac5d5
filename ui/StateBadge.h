#pragma once

#include <QLabel>

// The coloured pill next to an environment's name on its details page: green for
// Deployed, blue for Servicing, red for Failed, grey for anything else. The text is
// always the state itself, so the colour never carries meaning alone.
class StateBadge : public QLabel
{
    Q_OBJECT
    Q_DISABLE_COPY(StateBadge)

public:
    explicit StateBadge(QWidget* parent = nullptr);

    void setState(const QString& state);
    QString state() const { return m_state; }

private:
    QString m_state;
};
