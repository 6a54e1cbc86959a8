#pragma once

#include <QtCore/QHash>
#include <QtWidgets/QDockWidget>

class QFormLayout;
class QLabel;
class QPushButton;
class QTimer;

namespace Tertulia {

class ChatClient;
class RttChart;

/// The connection-health panel (a dock): everything ConnectionHealth measures, the RTT history as a
/// chart, and "Copy diagnostics". It refreshes once a second while visible (traffic counters change
/// with every frame, so it does not repaint per change).
class HealthPanel final : public QDockWidget
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(HealthPanel)

public:
    enum class Field {
        State, Server, Address, Encryption, Identity, Fingerprint, RttCurrent, RttMean, RttDeviation, Samples, Reconnects,
        LastDisconnect, Messages, Frames, Traffic, Outbox, LastResume,
    };

    explicit HealthPanel(ChatClient &client, QWidget *parent = nullptr);

    /// The text shown for a field (tests, screen readers).
    QString value(Field field) const;
    /// The label that shows a field's value (tests: it must have room to be read).
    QLabel *valueLabel(Field field) const { return m_values.value(field); }
    /// Narrower than this, each value goes under its name instead of beside it: the widest name plus
    /// room for kMinValueChars characters of value.
    int sideBySideMinWidth() const;
    static constexpr int kMinValueChars = 22;
    RttChart *chart() const { return m_chart; }
    QPushButton *copyButton() const { return m_copy; }
    /// What "Copy diagnostics" puts on the clipboard.
    QString diagnostics() const;

    void refresh();

protected:
    void resizeEvent(QResizeEvent *event) override;
    void changeEvent(QEvent *event) override;
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    void retranslate();
    QString label(Field field) const;

    ChatClient &m_client;
    QFormLayout *m_form;
    QHash<Field, QLabel *> m_labels;
    QHash<Field, QLabel *> m_values;
    QLabel *m_chartTitle;
    RttChart *m_chart;
    QPushButton *m_copy;
    QLabel *m_copied;
    QTimer *m_timer;
};

} // namespace Tertulia
