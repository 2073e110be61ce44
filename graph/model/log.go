package model

import (
	"encoding/json"
	"time"

	"github.com/aigw/gqlfacade/graph/globalid"
	"github.com/aigw/gqlfacade/restclient"
)

// Log is one upstream log together with the gateway it belongs to. Its
// GraphQL fields are plain methods over the upstream record, so gqlgen
// marshals them inline, without a resolver call per field.
type Log struct {
	AccountID string
	GatewayID string
	Raw       *restclient.Log
}

// IsNode marks Log as an implementation of the Node interface.
func (Log) IsNode() {}

// IsEntity marks Log as an Apollo Federation entity (keyed by its global id).
func (Log) IsEntity() {}

func (l *Log) ID() string {
	return globalid.Log(l.AccountID, l.GatewayID, l.Raw.ID)
}
func (l *Log) LogID() string               { return l.Raw.ID }
func (l *Log) Gateway() *Gateway           { return &Gateway{AccountID: l.AccountID, GatewayID: l.GatewayID} }
func (l *Log) CreatedAt() time.Time        { return l.Raw.CreatedAt }
func (l *Log) Provider() string            { return l.Raw.Provider }
func (l *Log) Model() string               { return l.Raw.Model }
func (l *Log) ModelType() *string          { return l.Raw.ModelType }
func (l *Log) Path() string                { return l.Raw.Path }
func (l *Log) Success() bool               { return l.Raw.Success }
func (l *Log) Cached() bool                { return l.Raw.Cached }
func (l *Log) StatusCode() *int            { return l.Raw.StatusCode }
func (l *Log) Duration() int               { return l.Raw.Duration }
func (l *Log) TokensIn() *int              { return l.Raw.TokensIn }
func (l *Log) TokensOut() *int             { return l.Raw.TokensOut }
func (l *Log) Cost() *float64              { return l.Raw.Cost }
func (l *Log) CustomCost() *bool           { return l.Raw.CustomCost }
func (l *Log) RequestContentType() *string { return l.Raw.RequestContentType }
func (l *Log) ResponseContentType() *string {
	return l.Raw.ResponseContentType
}
func (l *Log) RequestType() *string { return l.Raw.RequestType }
func (l *Log) Step() *int           { return l.Raw.Step }

// Metadata parses the upstream's metadata, which arrives as a JSON string
// holding an object. A string that is not JSON is returned as it is rather
// than dropped, so that nothing the upstream recorded is lost.
func (l *Log) Metadata() any {
	if l.Raw.Metadata == nil || *l.Raw.Metadata == "" {
		return nil
	}
	var v any
	if err := json.Unmarshal([]byte(*l.Raw.Metadata), &v); err != nil {
		return *l.Raw.Metadata
	}
	return v
}
