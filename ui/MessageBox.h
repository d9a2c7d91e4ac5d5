#pragma once

#include <QList>
#include <QMessageBox>
#include <QString>

// The console's questions and notices, in one place so that tests can answer them
// (KeePassXC's MessageBox::setNextAnswer): a test sets the answer of the next
// question, which is then returned without showing anything, and reads back what
// was asked. Questions are application-modal (exec); notices never block (open).
class MessageBox
{
public:
    using Button = QMessageBox::StandardButton;
    // One button of a question: a standard button with the console's own wording.
    struct Choice
    {
        Button button = QMessageBox::NoButton;
        QString text;
        QString toolTip;
    };

    // Asks, and returns the button chosen (`escape` when the box is closed).
    static Button ask(QWidget* parent, QMessageBox::Icon icon, const QString& title, const QString& text,
                      const QString& informative, const QList<Choice>& choices, Button defaultButton, Button escape,
                      const QString& objectName);
    // A notice that does not block; it deletes itself when closed.
    static QMessageBox* notify(QWidget* parent, QMessageBox::Icon icon, const QString& title, const QString& text,
                               const QString& informative, const QString& objectName);

    // Test hooks: the answer of the next ask() (NoButton: show the box again), and
    // what the last ask() said (text, a blank line, the informative text).
    static void setNextAnswer(Button answer);
    static QString lastQuestion();
    static QString lastQuestionName();

private:
    static Button s_nextAnswer;
    static QString s_lastQuestion;
    static QString s_lastQuestionName;
};
