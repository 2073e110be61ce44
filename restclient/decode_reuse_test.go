package restclient

import (
	"fmt"
	"strings"
	"testing"
)

// The wire logs' array is reused from page to page: a page that leaves a
// member out must not show the value the page before had there, whether
// the array was decoded in full, in part, or failed half-way.
func TestDecodingAPageLeavesNothingOfTheOneBefore(t *testing.T) {
	full := `{"id":"a%d","created_at":"2026-11-26T10:00:00.000Z","provider":"openai","model":"gpt","path":"/p","duration":12,"success":true,"cached":true,` +
		`"tokens_in":10,"tokens_out":20,"cost":0.5,"custom_cost":true,"metadata":"{\"k\":\"v\"}","model_type":"chat","request_type":"r",` +
		`"request_content_type":"json","response_content_type":"json","status_code":200,"step":1}`
	bare := `{"id":"b%d","created_at":"2026-11-26T10:00:00.000Z","duration":0}`
	page := func(item string, n int) []byte {
		items := make([]string, n)
		for i := range items {
			items[i] = fmt.Sprintf(item, i)
		}
		return []byte(`{"success":true,"errors":[],"result":[` + strings.Join(items, ",") + `],"result_info":{"count":1,"page":1,"per_page":50,"total_count":1}}`)
	}
	broken := []byte(`{"success":true,"result":[` + fmt.Sprintf(full, 0) + `,{"id":"x","created_at":"2026-11-26T10:00:00.000Z","tokens_in":"oops"}]}`)
	for _, before := range [][]byte{page(full, 50), page(full, 3), broken} {
		decodeListLogs(before)
		got, err := decodeListLogs(page(bare, 50))
		if err != nil {
			t.Fatal(err)
		}
		for i, l := range got.Logs {
			if l.Provider != "" || l.Model != "" || l.Success || l.Cached || l.TokensIn != nil || l.Cost != nil || l.Metadata != nil ||
				l.ModelType != nil || l.RequestContentType != nil || l.StatusCode != nil || l.Step != nil || l.CustomCost != nil {
				t.Fatalf("log %d of a bare page carries the page before's values: %+v", i, l)
			}
		}
	}
}
