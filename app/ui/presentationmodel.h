#pragma once

#include <QtCore/QIdentityProxyModel>

#include <functional>
#include <optional>

namespace Tertulia {

/// A pass-through view of a core model that adds what only the window needs (icons, tooltips,
/// accessible text, fonts), so the core models stay free of widget concerns. The function answers
/// the roles it adds and returns nullopt for the rest, which the source answers.
class PresentationModel final : public QIdentityProxyModel
{
    Q_OBJECT
    Q_DISABLE_COPY_MOVE(PresentationModel)

public:
    using Decorator = std::function<std::optional<QVariant>(const QModelIndex &source, int role)>;

    PresentationModel(Decorator decorator, QObject *parent = nullptr);

    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    Decorator m_decorator;
};

} // namespace Tertulia
