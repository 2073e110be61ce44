package fastpath

import (
	"io"
	"sync/atomic"

	"github.com/aigw/gqlfacade/graph/model"
)

// object is a compiled selection set of one object type: its fields in
// the order gqlgen writes them, each with its JSON member name already
// written (`"alias":`, after a comma but for the first).
type object struct {
	typeName string
	fields   []member
	perLog   atomic.Int64 // bytes per log of the last connection written
}

// sizeHint and noteSize size the next connection's buffer by the last.
func (o *object) sizeHint(logs int) int { return int(o.perLog.Load())*logs + 256 }

func (o *object) noteSize(n, logs int) {
	if logs > 0 {
		o.perLog.Store(int64(n/logs + 1))
	}
}

type member struct {
	prefix []byte
	kind   kind
	sub    *object // the selection of an object or list-of-object field
}

// rawJSON is a value already written as JSON.
type rawJSON []byte

func (r rawJSON) MarshalGQL(w io.Writer) { _, _ = w.Write(r) }

// appendConnection writes a single gateway's logs connection as gqlgen
// writes it for this selection. ok is false when a value cannot be
// written as gqlgen would (gqlgen answers it with a field error, or
// panics): the caller leaves the connection to gqlgen then.
func (o *object) appendConnection(b []byte, c *model.LogConnection) (_ []byte, ok bool) {
	b = append(b, '{')
	for i := range o.fields {
		f := &o.fields[i]
		b = append(b, f.prefix...)
		switch f.kind {
		case kindTypename:
			b = appendString(b, o.typeName)
		case kindTotalCount:
			b = appendInt(b, c.TotalCount())
		case kindEdges:
			b = append(b, '[')
			for j, l := range c.Logs {
				if j > 0 {
					b = append(b, ',')
				}
				if b, ok = f.sub.appendEdge(b, c, j, l); !ok {
					return b, false
				}
			}
			b = append(b, ']')
		case kindNodes:
			b = append(b, '[')
			for j, l := range c.Logs {
				if j > 0 {
					b = append(b, ',')
				}
				if b, ok = f.sub.appendLog(b, l); !ok {
					return b, false
				}
			}
			b = append(b, ']')
		case kindPageInfo:
			b = f.sub.appendPageInfo(b, c.PageInfo())
		case kindSummary:
			if b, ok = f.sub.appendSummary(b, c.Summary()); !ok {
				return b, false
			}
		}
	}
	return append(b, '}'), true
}

func (o *object) appendEdge(b []byte, c *model.LogConnection, i int, l *model.Log) (_ []byte, ok bool) {
	b = append(b, '{')
	for k := range o.fields {
		f := &o.fields[k]
		b = append(b, f.prefix...)
		switch f.kind {
		case kindTypename:
			b = appendString(b, o.typeName)
		case kindCursor:
			b = appendString(b, c.CursorOf(i))
		case kindNode:
			if b, ok = f.sub.appendLog(b, l); !ok {
				return b, false
			}
		}
	}
	return append(b, '}'), true
}

func (o *object) appendPageInfo(b []byte, p *model.PageInfo) []byte {
	b = append(b, '{')
	for k := range o.fields {
		f := &o.fields[k]
		b = append(b, f.prefix...)
		switch f.kind {
		case kindTypename:
			b = appendString(b, o.typeName)
		case kindHasNextPage:
			b = appendBool(b, p.HasNextPage)
		case kindHasPreviousPage:
			b = appendBool(b, p.HasPreviousPage)
		case kindStartCursor:
			b = appendStringPtr(b, p.StartCursor)
		case kindEndCursor:
			b = appendStringPtr(b, p.EndCursor)
		}
	}
	return append(b, '}')
}

func (o *object) appendSummary(b []byte, s *model.LogSummary) (_ []byte, ok bool) {
	b = append(b, '{')
	for k := range o.fields {
		f := &o.fields[k]
		b = append(b, f.prefix...)
		var v *float64
		switch f.kind {
		case kindTypename:
			b = appendString(b, o.typeName)
			continue
		case kindMinCost:
			v = s.MinCost
		case kindMaxCost:
			v = s.MaxCost
		case kindMinDuration:
			v = s.MinDuration
		case kindMaxDuration:
			v = s.MaxDuration
		case kindMinTokensIn:
			v = s.MinTokensIn
		case kindMaxTokensIn:
			v = s.MaxTokensIn
		case kindMinTokensOut:
			v = s.MinTokensOut
		case kindMaxTokensOut:
			v = s.MaxTokensOut
		case kindMinTotalTokens:
			v = s.MinTotalTokens
		case kindMaxTotalTokens:
			v = s.MaxTotalTokens
		}
		if b, ok = appendFloatPtr(b, v); !ok {
			return b, false
		}
	}
	return append(b, '}'), true
}

// appendLog writes a log's plain fields through model.Log's methods, the
// very ones gqlgen's generated code calls.
func (o *object) appendLog(b []byte, l *model.Log) (_ []byte, ok bool) {
	b = append(b, '{')
	for k := range o.fields {
		f := &o.fields[k]
		b = append(b, f.prefix...)
		switch f.kind {
		case kindTypename:
			b = appendString(b, o.typeName)
		case kindID:
			b = appendString(b, l.ID())
		case kindLogID:
			b = appendString(b, l.LogID())
		case kindCreatedAt:
			b = model.AppendDateTime(b, l.CreatedAt())
		case kindProvider:
			b = appendString(b, l.Provider())
		case kindModel:
			b = appendString(b, l.Model())
		case kindModelType:
			b = appendStringPtr(b, l.ModelType())
		case kindPath:
			b = appendString(b, l.Path())
		case kindSuccess:
			b = appendBool(b, l.Success())
		case kindCached:
			b = appendBool(b, l.Cached())
		case kindStatusCode:
			b = appendIntPtr(b, l.StatusCode())
		case kindDuration:
			b = appendInt(b, l.Duration())
		case kindTokensIn:
			b = appendIntPtr(b, l.TokensIn())
		case kindTokensOut:
			b = appendIntPtr(b, l.TokensOut())
		case kindCost:
			if b, ok = appendFloatPtr(b, l.Cost()); !ok {
				return b, false
			}
		case kindCustomCost:
			b = appendBoolPtr(b, l.CustomCost())
		case kindMetadata:
			if v := l.Metadata(); v == nil {
				b = append(b, "null"...)
			} else if b, ok = appendAny(b, v); !ok {
				return b, false
			}
		case kindRequestContentType:
			b = appendStringPtr(b, l.RequestContentType())
		case kindResponseContentType:
			b = appendStringPtr(b, l.ResponseContentType())
		case kindRequestType:
			b = appendStringPtr(b, l.RequestType())
		case kindStep:
			b = appendIntPtr(b, l.Step())
		}
	}
	return append(b, '}'), true
}
