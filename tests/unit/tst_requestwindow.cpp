// RequestWindow: the instants a user types for a downtime window, with an offset or in
// the project's time zone, and the window as the CLI shows it.
#include "schedule/RequestWindow.h"

#include <QtTest>

class TestRequestWindow : public QObject
{
    Q_OBJECT

private slots:
    void instants();
    void refusedWithTheValue();
    void text();
};

void TestRequestWindow::instants()
{
    const QTimeZone amsterdam("Europe/Amsterdam");
    QVERIFY(amsterdam.isValid());
    QString e;
    const QDateTime utc(QDate(2026, 12, 6), QTime(1, 0), Qt::UTC);
    QCOMPARE(*RequestWindow::parseInstant(QStringLiteral("2026-12-06T01:00:00Z"), amsterdam, &e), utc);
    QCOMPARE(*RequestWindow::parseInstant(QStringLiteral("2026-12-06T03:00:00+02:00"), amsterdam, &e), utc);
    // No offset: the project's zone (CET in December, UTC+1).
    QCOMPARE(*RequestWindow::parseInstant(QStringLiteral("2026-12-06 02:00"), amsterdam, &e), utc);
    QCOMPARE(*RequestWindow::parseInstant(QStringLiteral("2026-12-06T02:00:00"), amsterdam, &e), utc);
    // Summer time (CEST, UTC+2).
    QCOMPARE(*RequestWindow::parseInstant(QStringLiteral("2026-07-05 02:00"), amsterdam, &e),
             QDateTime(QDate(2026, 7, 5), QTime(0, 0), Qt::UTC));
    const auto w = RequestWindow::parse(QStringLiteral("2026-12-06 02:00"), QStringLiteral("2026-12-06 06:00"),
                                        amsterdam, &e);
    QVERIFY(w);
    QCOMPARE(w->seconds(), 4 * 3600);
}

void TestRequestWindow::refusedWithTheValue()
{
    QString e;
    QVERIFY(!RequestWindow::parseInstant(QStringLiteral("sunday night"), QTimeZone::systemTimeZone(), &e));
    QVERIFY2(e.contains(QStringLiteral("'sunday night' is not a date and time")), qPrintable(e));
    QVERIFY(!RequestWindow::parse(QStringLiteral("2026-12-06 02:00"), QStringLiteral("later"),
                                  QTimeZone::systemTimeZone(), &e));
    QVERIFY2(e.startsWith(QStringLiteral("--window-end: 'later'")), qPrintable(e));
}

void TestRequestWindow::text()
{
    const QTimeZone amsterdam("Europe/Amsterdam");
    const RequestWindow w{QDateTime(QDate(2026, 12, 6), QTime(1, 0), Qt::UTC),
                          QDateTime(QDate(2026, 12, 6), QTime(5, 0), Qt::UTC)};
    QCOMPARE(w.text(amsterdam), QStringLiteral("Sun 6 Dec 2026 02:00 – 06:00 (Europe/Amsterdam)"));
}

QTEST_GUILESS_MAIN(TestRequestWindow)
#include "tst_requestwindow.moc"
