#pragma once

#include <QtWidgets/QToolButton>

class QTimer;

namespace Tertulia {

class ChatClient;

/// The status bar's connection indicator, always visible: a coloured dot, the state in words and,
/// when connected, the current round-trip time. Clicking it opens the connection-health panel.
class ConnectionIndicator final : public QToolButton
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(ConnectionIndicator)

public:
    explicit ConnectionIndicator(ChatClient &client, QWidget *parent = nullptr);

    /// The dot's colour for a state (green connected, amber on the way, red failed, grey otherwise).
    static QColor stateColor(int state);

protected:
    void changeEvent(QEvent *event) override;

private:
    void refresh();

    ChatClient &m_client;
    QTimer *m_tick;
    int m_paintedState = -1;
    qreal m_paintedRatio = 0;
};

} // namespace Tertulia
