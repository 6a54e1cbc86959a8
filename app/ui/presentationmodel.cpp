#include "app/ui/presentationmodel.h"

namespace Tertulia {

PresentationModel::PresentationModel(Decorator decorator, QObject *parent)
    : QIdentityProxyModel(parent), m_decorator(std::move(decorator))
{
}

QVariant PresentationModel::data(const QModelIndex &index, int role) const
{
    const QModelIndex source = mapToSource(index);
    if (source.isValid()) {
        if (auto value = m_decorator(source, role))
            return *value;
    }
    return QIdentityProxyModel::data(index, role);
}

} // namespace Tertulia
