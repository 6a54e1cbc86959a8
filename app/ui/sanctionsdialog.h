#pragma once

#include "shared/protocol/payloads.h"

#include <QtWidgets/QDialog>

class QDialogButtonBox;
class QLabel;
class QPushButton;
class QTreeWidget;

namespace Tertulia {

/// The bans and mutes of a room that hold now (the room list's Bans and mutes…, for its owner and
/// moderators): who, what, by whom, why and until when, and Lift for the selected one. It does not talk to the
/// server: the caller fills it (setSanctions(), setError()) and lifts what liftRequested() names.
class SanctionsDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SanctionsDialog)

public:
    explicit SanctionsDialog(const QString &room, QWidget *parent = nullptr);

    const QString &room() const { return m_room; }
    void setSanctions(const QList<Protocol::SanctionInfo> &sanctions);
    /// Instead of the list: why it could not be read.
    void setError(const QString &text);
    const QList<Protocol::SanctionInfo> &sanctions() const { return m_sanctions; }
    QTreeWidget *list() const { return m_list; }
    QPushButton *liftButton() const { return m_lift; }

Q_SIGNALS:
    /// Lift was clicked on the ban (`ban`) or mute of `user`.
    void liftRequested(const QString &user, bool ban);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void fill();
    void updateLift();

    QString m_room;
    QList<Protocol::SanctionInfo> m_sanctions;
    QString m_error;
    QLabel *m_text;
    QTreeWidget *m_list;
    QPushButton *m_lift;
    QDialogButtonBox *m_buttons;
};

} // namespace Tertulia
