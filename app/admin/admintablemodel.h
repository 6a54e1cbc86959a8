#pragma once

#include <QtCore/QAbstractTableModel>

#include <functional>

namespace Tertulia {

/// A read-only table of value rows for the admin console (connections, rooms, users): columns are a title
/// (asked for each time, so it follows the language) and how to show a row in it. Rows are replaced whole at
/// each refresh, announced with the about-to/done reset pair, and the selection is restored by a key.
template<typename Row>
class AdminTableModel : public QAbstractTableModel
{
public:
    struct Column
    {
        std::function<QString()> title;
        std::function<QVariant(const Row &, int role)> value;
    };

    explicit AdminTableModel(QList<Column> columns, QObject *parent = nullptr)
        : QAbstractTableModel(parent), m_columns(std::move(columns))
    {
    }

    void setRows(QList<Row> rows)
    {
        beginResetModel();
        m_rows = std::move(rows);
        endResetModel();
    }
    const QList<Row> &rows() const { return m_rows; }
    const Row *rowAt(int row) const { return row >= 0 && row < m_rows.size() ? &m_rows.at(row) : nullptr; }

    int rowCount(const QModelIndex &parent = {}) const override { return parent.isValid() ? 0 : int(m_rows.size()); }
    int columnCount(const QModelIndex &parent = {}) const override
    {
        return parent.isValid() ? 0 : int(m_columns.size());
    }
    QVariant data(const QModelIndex &index, int role) const override
    {
        if (!checkIndex(index, CheckIndexOption::IndexIsValid | CheckIndexOption::ParentIsInvalid))
            return {};
        return m_columns.at(index.column()).value(m_rows.at(index.row()), role);
    }
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override
    {
        if (orientation != Qt::Horizontal || role != Qt::DisplayRole || section < 0 || section >= m_columns.size())
            return {};
        return m_columns.at(section).title();
    }
    /// The titles changed (a new language): views repaint their headers.
    void retranslate() { Q_EMIT headerDataChanged(Qt::Horizontal, 0, int(m_columns.size()) - 1); }

private:
    QList<Column> m_columns;
    QList<Row> m_rows;
};

} // namespace Tertulia
