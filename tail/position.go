package tail

import (
	"slices"
	"time"

	"github.com/aigw/gqlfacade/restclient"
)

// MaxIDsAtInstant bounds the ids a Position keeps for its last millisecond.
// They travel upstream as one `id neq […]` condition, and the graph refuses
// longer value lists (and the URL has a length limit): past this many logs
// in one millisecond, the rest of that millisecond is skipped rather than
// asked for with a condition the upstream cannot take.
const MaxIDsAtInstant = 100

// Position is how far a reader of a gateway's logs has come: every log
// created before At, and the logs created at At whose ids are in IDs, have
// been seen. The upstream stamps created_at to the millisecond, and several
// logs can share one, so the instant alone cannot say which of them were
// seen; logs arriving later in a millisecond already read are not lost.
type Position struct {
	At  time.Time // a whole millisecond, UTC
	IDs []string  // sorted, at most MaxIDsAtInstant
}

// Start is the position of a reader that has seen every log created before
// t and none created at or after it.
func Start(t time.Time) Position {
	return Position{At: t.UTC().Truncate(time.Millisecond)}
}

// Seen reports whether l is behind p.
func (p Position) Seen(l *restclient.Log) bool {
	t := l.CreatedAt.UTC().Truncate(time.Millisecond)
	switch {
	case t.Before(p.At):
		return true
	case t.After(p.At):
		return false
	}
	_, found := slices.BinarySearch(p.IDs, l.ID)
	return found || len(p.IDs) >= MaxIDsAtInstant // a full millisecond is skipped (see MaxIDsAtInstant)
}

// After returns the position once l has been seen too. p is not changed.
func (p Position) After(l *restclient.Log) Position {
	t := l.CreatedAt.UTC().Truncate(time.Millisecond)
	switch {
	case t.Before(p.At):
		return p
	case t.After(p.At):
		return Position{At: t, IDs: []string{l.ID}}
	}
	i, found := slices.BinarySearch(p.IDs, l.ID)
	if found || len(p.IDs) >= MaxIDsAtInstant {
		return p
	}
	return Position{At: p.At, IDs: slices.Insert(slices.Clip(p.IDs), i, l.ID)}
}

// Later returns whichever of p and q has seen more: the later instant, or
// at one instant the one with more ids. It is used where both hold the same
// logs at their common instant, as a reader that joins a poller does.
func (p Position) Later(q Position) Position {
	switch {
	case q.At.After(p.At):
		return q
	case p.At.After(q.At):
		return p
	case len(q.IDs) > len(p.IDs):
		return q
	}
	return p
}

// Covers reports whether p has seen every log q has.
func (p Position) Covers(q Position) bool {
	switch {
	case q.At.Before(p.At):
		return true
	case q.At.After(p.At):
		return false
	}
	for _, id := range q.IDs {
		if _, found := slices.BinarySearch(p.IDs, id); !found && len(p.IDs) < MaxIDsAtInstant {
			return false
		}
	}
	return true
}

// Equal reports whether p and q have seen the same logs.
func (p Position) Equal(q Position) bool {
	return p.At.Equal(q.At) && slices.Equal(p.IDs, q.IDs)
}

// conditions are the upstream filters that list the logs p has not seen:
// created at or after At, but not the ids already seen at At. A full
// millisecond is skipped instead.
func (p Position) conditions() []restclient.Filter {
	if len(p.IDs) >= MaxIDsAtInstant {
		return []restclient.Filter{{Key: restclient.KeyCreatedAt, Operator: restclient.OpGt, Values: []any{formatInstant(p.At)}}}
	}
	out := []restclient.Filter{{Key: restclient.KeyCreatedAt, Operator: restclient.OpGt, Values: []any{formatInstant(p.At.Add(-time.Millisecond))}}}
	if len(p.IDs) > 0 {
		ids := make([]any, len(p.IDs))
		for i, id := range p.IDs {
			ids[i] = id
		}
		out = append(out, restclient.Filter{Key: restclient.KeyID, Operator: restclient.OpNeq, Values: ids})
	}
	return out
}

// upTo is the upstream filter that keeps a listing at or before p's
// instant; logs at the instant itself are sorted out with p.Seen.
func (p Position) upTo() restclient.Filter {
	return restclient.Filter{Key: restclient.KeyCreatedAt, Operator: restclient.OpLt, Values: []any{formatInstant(p.At.Add(time.Millisecond))}}
}

// instantLayout is how the upstream writes created_at.
const instantLayout = "2006-01-02T15:04:05.000Z"

func formatInstant(t time.Time) string { return t.UTC().Format(instantLayout) }
