package cfsim

import (
	"encoding/json"
	"slices"
	"strconv"
	"strings"
	"sync"
)

// entry is a log plus everything a request needs that can be computed once:
// its list JSON (pages are written by concatenating these), the lower-cased
// text `search` scans, and its metadata split into keys and stringified
// values. Entries are immutable after creation, so a request may keep
// pointers to them after it releases the server lock.
type entry struct {
	log      Log
	json     []byte
	total    *int // tokens_in + tokens_out
	searchIn [5]string
	metaKeys []string // nil when the log has no metadata object
	metaVals []string
}

func newEntry(l Log) *entry {
	e := &entry{log: l, total: l.TotalTokens()}
	// Marshal the wire struct directly: going through Log.MarshalJSON
	// would make encoding/json re-compact the output, doubling the cost.
	e.json, _ = json.Marshal(l.wire()) // cannot fail: only plain fields
	md := ""
	if l.Metadata != nil {
		md = *l.Metadata
		e.metaKeys, e.metaVals = splitMetadata(md)
	}
	e.searchIn = [5]string{strings.ToLower(l.ID), strings.ToLower(l.Provider),
		strings.ToLower(l.Model), strings.ToLower(l.Path), strings.ToLower(md)}
	return e
}

// splitMetadata returns the keys and stringified values of a metadata JSON
// object, sorted by key. Numbers keep their JSON spelling ("2", "0.5"),
// booleans become "true"/"false", nested values their compact JSON.
func splitMetadata(s string) (keys, vals []string) {
	var m map[string]any
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	if dec.Decode(&m) != nil || m == nil {
		return nil, nil
	}
	keys = make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	vals = make([]string, 0, len(keys))
	for _, k := range keys {
		switch v := m[k].(type) {
		case string:
			vals = append(vals, v)
		case json.Number:
			vals = append(vals, v.String())
		case bool:
			vals = append(vals, strconv.FormatBool(v))
		default: // null, arrays, objects: their compact JSON
			b, _ := json.Marshal(v)
			vals = append(vals, string(b))
		}
	}
	return keys, vals
}

// gateway holds one gateway's logs. byTime is the default answer order
// (created_at desc, id desc) kept sorted on Append, so the commonest request
// — default order, no filters — is a slice of it. Other orders are sorted
// lazily and cached until the next Append.
type gateway struct {
	id     string
	prof   profile
	byTime []*entry
	byID   map[string]*entry
	all    stats // min/max over every log, kept up to date by add

	cacheMu sync.Mutex // guards sorted; taken under the server's read lock
	sorted  map[string][]*entry
}

func newGateway(id string, prof profile, logs []Log) *gateway {
	g := &gateway{id: id, prof: prof, byID: make(map[string]*entry, len(logs))}
	g.byTime = make([]*entry, 0, len(logs))
	for _, l := range logs {
		e := newEntry(l)
		g.byTime = append(g.byTime, e)
		g.byID[l.ID] = e
		g.all.add(e)
	}
	slices.SortFunc(g.byTime, descBy("created_at"))
	return g
}

// insert adds e keeping byTime sorted. Caller holds the server write lock.
func (g *gateway) insert(e *entry) {
	i, _ := slices.BinarySearchFunc(g.byTime, e, descBy("created_at"))
	g.byTime = slices.Insert(g.byTime, i, e)
	g.byID[e.log.ID] = e
	g.all.add(e)
	g.cacheMu.Lock()
	g.sorted = nil
	g.cacheMu.Unlock()
}

// ordered returns the logs in descending order for orderBy (ascending is
// its exact reverse). Caller holds the server read lock; the result must
// not be used after it is released.
func (g *gateway) ordered(orderBy string) []*entry {
	if orderBy == "created_at" {
		return g.byTime
	}
	g.cacheMu.Lock()
	defer g.cacheMu.Unlock()
	if s, ok := g.sorted[orderBy]; ok {
		return s
	}
	s := slices.Clone(g.byTime)
	slices.SortFunc(s, descBy(orderBy))
	if g.sorted == nil {
		g.sorted = map[string][]*entry{}
	}
	g.sorted[orderBy] = s
	return s
}

// replace swaps old for nu, a changed copy of the same log (same id and
// created_at, so the same place in byTime). The min/max stats are not
// touched: a patch changes none of their fields. Caller holds the server
// write lock.
func (g *gateway) replace(old, nu *entry) {
	i, found := slices.BinarySearchFunc(g.byTime, old, descBy("created_at"))
	if !found || g.byTime[i] != old {
		i = slices.Index(g.byTime, old)
	}
	g.byTime[i] = nu
	g.byID[nu.log.ID] = nu
	g.cacheMu.Lock()
	g.sorted = nil // the other orders hold old
	g.cacheMu.Unlock()
}
