package graph

import (
	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/restclient"
)

var orderFields = map[model.AIGatewayLogOrderField]restclient.OrderBy{
	model.AIGatewayLogOrderFieldCreatedAt: restclient.OrderByCreatedAt,
	model.AIGatewayLogOrderFieldProvider:  restclient.OrderByProvider,
	model.AIGatewayLogOrderFieldModel:     restclient.OrderByModel,
	model.AIGatewayLogOrderFieldModelType: restclient.OrderByModelType,
	model.AIGatewayLogOrderFieldSuccess:   restclient.OrderBySuccess,
	model.AIGatewayLogOrderFieldCached:    restclient.OrderByCached,
}

// translateOrder maps LogOrder onto the upstream's order_by and
// order_by_direction. Both are always sent, defaults included, so the
// answer never depends on an upstream default that could change.
func translateOrder(o *model.AIGatewayLogOrder) (restclient.OrderBy, restclient.Direction) {
	by, dir := restclient.OrderByCreatedAt, restclient.Desc
	if o != nil {
		if f, ok := orderFields[o.Field]; ok {
			by = f
		}
		if o.Direction == model.OrderDirectionAsc {
			dir = restclient.Asc
		}
	}
	return by, dir
}
