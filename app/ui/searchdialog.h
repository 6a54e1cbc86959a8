#pragma once

#include "shared/protocol/payloads.h"

#include <QtWidgets/QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace Tertulia {

class ChatClient;

/// Ctrl+Shift+F: messages that hold some words, in the open room or in every room of ours (the server's
/// `search`, newest first). Enter in the field searches; each result shows its room, its sender by display name,
/// when it was written (with "· sent 10:15" for one that waited offline, as the timeline) and an excerpt with
/// the words found in bold; activating one (double click, Enter on it) opens its room at that
/// message. "More results" asks for the next page. Empty and failed searches say so in the status line.
class SearchDialog final : public QDialog
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(SearchDialog)

public:
    /// `currentRoom`: the open room ("In #room" is offered, and chosen, when there is one).
    SearchDialog(ChatClient &client, const QString &currentRoom, QWidget *parent = nullptr);

    QLineEdit *queryEdit() const { return m_query; }
    QComboBox *scopeBox() const { return m_scope; }
    QListWidget *resultList() const { return m_list; }
    QLabel *statusLabel() const { return m_status; }
    QPushButton *moreButton() const { return m_more; }

    /// The rich text of a result's excerpt: the snippet HTML-escaped, the highlighted ranges in bold, line
    /// breaks as spaces. Pure, for its test.
    static QString snippetHtml(const Protocol::SearchHit &hit);

    /// Starts a new search for the field's text (what Enter does).
    void search();

Q_SIGNALS:
    /// A result was activated: show message `seq` of `room`.
    void messageChosen(const QString &room, qint64 seq);

protected:
    void changeEvent(QEvent *event) override;

private:
    void retranslate();
    void request(const QString &before);
    void append(const Protocol::SearchResults &page);
    void choose();

    ChatClient &m_client;
    QString m_currentRoom;
    QLabel *m_hint;
    QLineEdit *m_query;
    QComboBox *m_scope;
    QLabel *m_status;
    QListWidget *m_list;
    QPushButton *m_more;
    QString m_asked;       ///< the query of the results shown
    QString m_next;        ///< the cursor of the next page (empty: none)
    int m_generation = 0;  ///< answers of an earlier search are dropped
};

} // namespace Tertulia
