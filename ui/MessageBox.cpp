#include "MessageBox.h"

#include <QAbstractButton>
#include <QPushButton>

MessageBox::Button MessageBox::s_nextAnswer = QMessageBox::NoButton;
QString MessageBox::s_lastQuestion;
QString MessageBox::s_lastQuestionName;

void MessageBox::setNextAnswer(Button answer)
{
    s_nextAnswer = answer;
}

QString MessageBox::lastQuestion()
{
    return s_lastQuestion;
}

QString MessageBox::lastQuestionName()
{
    return s_lastQuestionName;
}

MessageBox::Button MessageBox::ask(QWidget* parent, QMessageBox::Icon icon, const QString& title, const QString& text,
                                   const QString& informative, const QList<Choice>& choices, Button defaultButton,
                                   Button escape, const QString& objectName)
{
    s_lastQuestion = informative.isEmpty() ? text : text + QStringLiteral("\n\n") + informative;
    s_lastQuestionName = objectName;
    if (s_nextAnswer != QMessageBox::NoButton) {
        const Button answer = s_nextAnswer;
        s_nextAnswer = QMessageBox::NoButton;
        return answer;
    }
    QMessageBox box(icon, title, text, QMessageBox::NoButton, parent);
    box.setObjectName(objectName);
    box.setInformativeText(informative);
    box.setTextFormat(Qt::PlainText);
    for (const Choice& c : choices) {
        box.addButton(c.button);
        if (QAbstractButton* b = box.button(c.button)) {
            if (!c.text.isEmpty())
                b->setText(c.text);
            b->setToolTip(c.toolTip);
        }
    }
    if (auto* d = qobject_cast<QPushButton*>(box.button(defaultButton)))
        box.setDefaultButton(d);
    if (QAbstractButton* e = box.button(escape))
        box.setEscapeButton(e);
    box.exec();
    const auto clicked = box.standardButton(box.clickedButton());
    return clicked == QMessageBox::NoButton ? escape : clicked;
}

QMessageBox* MessageBox::notify(QWidget* parent, QMessageBox::Icon icon, const QString& title, const QString& text,
                                const QString& informative, const QString& objectName)
{
    auto* box = new QMessageBox(icon, title, text, QMessageBox::Ok, parent);
    box->setObjectName(objectName);
    box->setInformativeText(informative);
    box->setTextFormat(Qt::PlainText);
    box->setAttribute(Qt::WA_DeleteOnClose);
    box->setWindowModality(Qt::NonModal); // a notice never stops the window from updating or being used
    box->show();
    return box;
}
