// The monitoring examples name real metrics: every `tertulia_*` name in the Grafana dashboard and the alert
// rules (packaging/monitoring/) is a metric family that a real server's /metrics exports (a histogram's
// _bucket, _sum and _count included), and every family the server exports is in the metric list of
// docs/administration.md. The cluster bus's metrics exist only with several nodes' store: on PostgreSQL
// (TERTULIA_TEST_STORE=postgres, the _postgres variant) they must be exported too; on SQLite they must at
// least be documented.
#include "support/testmain.h"
#include "support/testserver.h"
#include "support/wsclient.h"

#include <QtCore/QFile>
#include <QtCore/QJsonArray>
#include <QtCore/QJsonDocument>
#include <QtCore/QRegularExpression>
#include <QtTest/QTest>

using namespace Qt::StringLiterals;
using namespace Tertulia;
using namespace Tertulia::Test;
using L1 = QLatin1StringView;

namespace {
QString readSource(const QString &relative)
{
    QFile file(QStringLiteral(SOURCE_DIR "/") + relative);
    if (!file.open(QIODevice::ReadOnly))
        return {};
    return QString::fromUtf8(file.readAll());
}

const QRegularExpression kMetricName(u"\\btertulia_[a-z0-9_]+\\b"_s);

QSet<QString> metricNames(const QString &text)
{
    QSet<QString> names;
    for (const QRegularExpressionMatch &match : kMetricName.globalMatch(text))
        names.insert(match.captured());
    return names;
}

/// Every query expression of the dashboard's panels (rows hold panels of their own when collapsed).
void collectExpressions(const QJsonArray &panels, QStringList &out)
{
    for (const QJsonValue &panel : panels) {
        for (const QJsonValue &target : panel.toObject().value(L1("targets")).toArray())
            out.append(target.toObject().value(L1("expr")).toString());
        collectExpressions(panel.toObject().value(L1("panels")).toArray(), out);
    }
}

/// The YAML without its comments (which may mention anything).
QString withoutComments(const QString &yaml)
{
    QStringList lines;
    for (const QString &line : yaml.split(u'\n')) {
        if (!line.trimmed().startsWith(u'#'))
            lines.append(line);
    }
    return lines.join(u'\n');
}

/// "# TYPE <family> <kind>" lines: family -> kind.
QHash<QString, QString> exportedFamilies(const QByteArray &text)
{
    QHash<QString, QString> families;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.startsWith("# TYPE "))
            continue;
        const QList<QByteArray> parts = line.split(' ');
        if (parts.size() == 4)
            families.insert(QString::fromLatin1(parts.at(2)), QString::fromLatin1(parts.at(3)));
    }
    return families;
}

/// The family a queried name belongs to, if the server exports it.
std::optional<QString> familyOf(const QString &name, const QHash<QString, QString> &families)
{
    if (families.contains(name))
        return name;
    for (const QLatin1StringView suffix : {L1("_bucket"), L1("_sum"), L1("_count")}) {
        if (name.endsWith(suffix)) {
            const QString base = name.chopped(suffix.size());
            if (families.value(base) == u"histogram")
                return base;
        }
    }
    return std::nullopt;
}
} // namespace

class TestMonitoring : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void namedMetricsExist()
    {
        const QString dashboardText = readSource(u"packaging/monitoring/tertulia-dashboard.json"_s);
        QJsonParseError error;
        const QJsonDocument dashboard = QJsonDocument::fromJson(dashboardText.toUtf8(), &error);
        QVERIFY2(error.error == QJsonParseError::NoError, qPrintable(error.errorString()));
        QStringList expressions;
        collectExpressions(dashboard.object().value(L1("panels")).toArray(), expressions);
        QVERIFY(expressions.size() >= 20);
        for (const QString &expression : std::as_const(expressions))
            QVERIFY2(metricNames(expression).size() > 0, qPrintable(u"a panel query names no metric: "_s + expression));
        const QSet<QString> dashboardNames = metricNames(expressions.join(u'\n'));
        const QString rules = withoutComments(readSource(u"packaging/monitoring/tertulia-alerts.yml"_s));
        const QSet<QString> ruleNames = metricNames(rules);
        QVERIFY(ruleNames.size() >= 8);
        const QSet<QString> ruleTestNames =
            metricNames(withoutComments(readSource(u"packaging/monitoring/tertulia-alerts.test.yml"_s)));
        QVERIFY(!ruleTestNames.isEmpty());

        // A real server with some traffic behind it (histograms are exported either way).
        TestServer server;
        WsClient alice;
        QVERIFY(alice.openAndAuth(server.url(), server.login(u"alice"_s).accessToken));
        QVERIFY(alice.request(Protocol::Request::createRoom({}, {u"general"_s, false})).isOk());
        QVERIFY(alice.request(Protocol::Request::send({}, {u"general"_s, u"hola"_s, u"m1"_s})).isOk());
        const HttpResult metrics = server.http().get(u"/metrics"_s);
        QCOMPARE(metrics.status, 200);
        const QHash<QString, QString> families = exportedFamilies(metrics.body);
        QVERIFY(families.size() >= 30);
        const bool clustered = families.contains(u"tertulia_bus_lag_messages"_s);
        if (qEnvironmentVariableIsSet("TERTULIA_REQUIRE_CLUSTER_METRICS"))
            QVERIFY2(clustered, "a server on PostgreSQL exports the cluster bus's metrics");

        const QString documentation = readSource(u"docs/administration.md"_s);
        const QSet<QString> documented = metricNames(documentation);
        QVERIFY(!documented.isEmpty());
        // Every exported family is in the docs' list.
        for (auto it = families.cbegin(); it != families.cend(); ++it)
            QVERIFY2(documented.contains(it.key()), qPrintable(it.key() + u" is not in docs/administration.md"_s));

        const auto check = [&](const QSet<QString> &names, const QString &where) {
            for (const QString &name : names) {
                if (familyOf(name, families))
                    continue;
                // Only the cluster bus's metrics may be missing, on a single node's store, and only if
                // documented.
                const bool cluster = name.startsWith(u"tertulia_bus_"_s);
                QVERIFY2(!clustered && cluster,
                         qPrintable(QStringLiteral("%1 names %2, which /metrics does not export").arg(where, name)));
                static const QRegularExpression histogramSeries(u"_(bucket|sum|count)$"_s);
                QVERIFY2(documented.contains(name) || documented.contains(QString(name).remove(histogramSeries)),
                         qPrintable(QStringLiteral("%1 names %2, which is not documented").arg(where, name)));
            }
        };
        check(dashboardNames, u"the dashboard"_s);
        if (QTest::currentTestFailed())
            return;
        check(ruleNames, u"the alert rules"_s);
        if (QTest::currentTestFailed())
            return;
        check(ruleTestNames, u"the alert rules' tests"_s);
        if (QTest::currentTestFailed())
            return;
        // The cluster part is looked at at all: the dashboard has bus panels.
        QVERIFY(dashboardNames.contains(u"tertulia_bus_lag_messages"_s));
        qInfo() << "dashboard:" << dashboardNames.size() << "metrics, rules:" << ruleNames.size()
                << "metrics, exported families:" << families.size() << (clustered ? "(with the cluster bus)" : "");
    }

    /*! The checker itself: a made-up name is caught, a histogram's series are found. */
    void checkerCatchesUnknownNames()
    {
        const QHash<QString, QString> families{{u"tertulia_x_seconds"_s, u"histogram"_s},
                                               {u"tertulia_y_total"_s, u"counter"_s}};
        QCOMPARE(familyOf(u"tertulia_x_seconds_bucket"_s, families), std::optional<QString>(u"tertulia_x_seconds"_s));
        QCOMPARE(familyOf(u"tertulia_y_total"_s, families), std::optional<QString>(u"tertulia_y_total"_s));
        QVERIFY(!familyOf(u"tertulia_y_total_bucket"_s, families)); // not a histogram
        QVERIFY(!familyOf(u"tertulia_z"_s, families));
        QCOMPARE(metricNames(u"sum(rate(tertulia_a_total[5m])) / tertulia_b"_s),
                 (QSet<QString>{u"tertulia_a_total"_s, u"tertulia_b"_s}));
        QCOMPARE(withoutComments(u"# tertulia_c\nexpr: tertulia_d"_s), u"expr: tertulia_d"_s);
    }
};

TERTULIA_SERVER_TEST_MAIN(TestMonitoring)
#include "tst_monitoring.moc"
