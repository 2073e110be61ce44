package graph

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/aigw/gqlfacade/graph/model"
	"github.com/aigw/gqlfacade/restclient"
)

// FuzzTranslateFilter feeds arbitrary LogFilter inputs (as JSON) through the
// translation: it must never panic, and whatever it accepts must encode to
// the upstream's JSON filter array with a created_at bound last.
func FuzzTranslateFilter(f *testing.F) {
	f.Add(`{"provider":{"eq":"openai","in":["a","b"]},"cost":{"gt":0.5,"lt":2}}`)
	f.Add(`{"createdAt":{"lt":"2026-11-26T10:00:00.1234Z","gt":"2020-01-01T00:00:00Z"}}`)
	f.Add(`{"metadataKey":{"notIn":[]},"success":{"eq":true}}`)
	f.Add(`{"tokens":{"in":[1,2,3]},"feedback":{"neq":-1},"userAgent":{"contains":"\u0000"}}`)
	f.Add(`{"modelType":{"isNull":true,"eq":"chat"},"metadataKey":{"isNull":false}}`)
	f.Add(`{}`)
	snapshot := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	f.Fuzz(func(t *testing.T, input string) {
		var lf model.AIGatewayLogFilter
		if json.Unmarshal([]byte(input), &lf) != nil {
			return
		}
		set, err := translateFilter(&lf)
		if err != nil {
			return
		}
		filters := set.withSnapshot(snapshot)
		last := filters[len(filters)-1]
		if last.Key != restclient.KeyCreatedAt || last.Operator != restclient.OpLt {
			t.Fatalf("the snapshot bound is not last: %+v", last)
		}
		enc, err := restclient.EncodeFilters(filters)
		if err != nil {
			// Values the upstream cannot take (NaN, invalid UTF-8, …) must be
			// refused by translateFilter, not discovered at encoding.
			t.Fatalf("accepted filter does not encode: %v", err)
		}
		var back []map[string]any
		if err := json.Unmarshal([]byte(enc), &back); err != nil || len(back) != len(filters) {
			t.Fatalf("encoded filters are not a JSON array of %d: %s", len(filters), enc)
		}
		if _, err := set.identity(); err != nil {
			t.Fatalf("identity: %v", err)
		}
	})
}
