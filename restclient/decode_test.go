package restclient

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

const fullLogBody = `{
  "success": true, "errors": [], "messages": [],
  "result": [{
    "id": "01JGXYZABCDEF0123456789AB",
    "created_at": "2025-01-02T03:04:05.678Z",
    "provider": "openai", "model": "gpt-4o-mini", "path": "chat/completions",
    "duration": 1234, "success": true, "cached": false,
    "tokens_in": 12, "tokens_out": 34, "cost": 0.00012, "custom_cost": true,
    "metadata": "{\"team\":\"blue\",\"n\":1}",
    "model_type": "chat", "request_type": "universal",
    "request_content_type": "application/json", "response_content_type": "text/event-stream",
    "status_code": 200, "step": 1,
    "some_future_field": {"ignored": true}
  }],
  "result_info": {
    "count": 1.0, "page": 1, "per_page": 20.0, "total_count": 1e3,
    "min_cost": 0.00012, "max_cost": 1.5, "min_duration": 10, "max_duration": 2000.0,
    "min_tokens_in": 1, "max_tokens_in": 100, "min_tokens_out": 2, "max_tokens_out": 200,
    "min_total_tokens": 3, "max_total_tokens": 300
  }
}`

func wantFullPage() *LogPage {
	return &LogPage{
		Logs: []Log{{
			ID:                  "01JGXYZABCDEF0123456789AB",
			CreatedAt:           time.Date(2025, 1, 2, 3, 4, 5, 678e6, time.UTC),
			Provider:            "openai",
			Model:               "gpt-4o-mini",
			Path:                "chat/completions",
			Duration:            1234,
			Success:             true,
			Cached:              false,
			TokensIn:            ptr(12),
			TokensOut:           ptr(34),
			Cost:                ptr(0.00012),
			CustomCost:          ptr(true),
			Metadata:            ptr(`{"team":"blue","n":1}`),
			ModelType:           ptr("chat"),
			RequestType:         ptr("universal"),
			RequestContentType:  ptr("application/json"),
			ResponseContentType: ptr("text/event-stream"),
			StatusCode:          ptr(200),
			Step:                ptr(1),
		}},
		Info: ResultInfo{
			Count: 1, Page: 1, PerPage: 20, TotalCount: 1000,
			MinCost: ptr(0.00012), MaxCost: ptr(1.5), MinDuration: ptr(10.0), MaxDuration: ptr(2000.0),
			MinTokensIn: ptr(1.0), MaxTokensIn: ptr(100.0), MinTokensOut: ptr(2.0), MaxTokensOut: ptr(200.0),
			MinTotalTokens: ptr(3.0), MaxTotalTokens: ptr(300.0),
		},
	}
}

func TestDecodeFullLog(t *testing.T) {
	got, err := decodeListLogs([]byte(fullLogBody))
	if err != nil {
		t.Fatal(err)
	}
	if want := wantFullPage(); !reflect.DeepEqual(got, want) {
		t.Errorf("got  %+v\nwant %+v", got, want)
	}
}

func TestDecodeNullablesAndMinimalInfo(t *testing.T) {
	body := `{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05+02:00","provider":"p","model":"m",
	  "path":"x","duration":5,"success":false,"cached":true,"tokens_in":null,"tokens_out":null,"metadata":null,"cost":null}],
	  "result_info":{"count":1,"page":2,"per_page":1,"total_count":7}}`
	got, err := decodeListLogs([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	l := got.Logs[0]
	if l.TokensIn != nil || l.TokensOut != nil || l.Metadata != nil || l.Cost != nil || l.StatusCode != nil || l.ModelType != nil {
		t.Errorf("nullable fields not nil: %+v", l)
	}
	if l.Success || !l.Cached || l.Duration != 5 {
		t.Errorf("scalars: %+v", l)
	}
	if want := time.Date(2025, 1, 2, 1, 4, 5, 0, time.UTC); !l.CreatedAt.Equal(want) || l.CreatedAt.Location() != time.UTC {
		t.Errorf("created_at = %v, want %v in UTC", l.CreatedAt, want)
	}
	want := ResultInfo{Count: 1, Page: 2, PerPage: 1, TotalCount: 7}
	if !reflect.DeepEqual(got.Info, want) {
		t.Errorf("info = %+v, want %+v (no meta figures)", got.Info, want)
	}
}

func TestDecodeEmptyAndNullResult(t *testing.T) {
	for _, body := range []string{emptyPage, `{"success":true,"result":null,"result_info":{"count":0,"page":1,"per_page":20,"total_count":0}}`} {
		got, err := decodeListLogs([]byte(body))
		if err != nil {
			t.Fatalf("%s: %v", body, err)
		}
		if got.Logs == nil || len(got.Logs) != 0 {
			t.Errorf("Logs = %#v, want empty non-nil", got.Logs)
		}
	}
}

func TestDecodeMetadataObjectTolerated(t *testing.T) {
	body := `{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","metadata":{ "k" : [1, 2] }}],"result_info":{"count":1,"page":1,"per_page":1,"total_count":1}}`
	got, err := decodeListLogs([]byte(body))
	if err != nil {
		t.Fatal(err)
	}
	if m := got.Logs[0].Metadata; m == nil || *m != `{"k":[1,2]}` {
		t.Errorf("metadata = %v", m)
	}
}

func TestDecodeMalformed(t *testing.T) {
	info := `"result_info":{"count":1,"page":1,"per_page":1,"total_count":1}`
	tests := map[string]string{
		"empty":                  ``,
		"not JSON":               `hello`,
		"HTML error page":        `<html><body><h1>502 Bad Gateway</h1></body></html>`,
		"truncated":              fullLogBody[:len(fullLogBody)/2],
		"truncated at end":       strings.TrimSuffix(strings.TrimSpace(fullLogBody), "}"),
		"trailing garbage":       emptyPage + `x`,
		"JSON null":              `null`,
		"array":                  `[]`,
		"string":                 `"ok"`,
		"no success":             `{"result":[],` + info + `}`,
		"success false":          `{"success":false,"errors":[{"code":7001,"message":"Invalid enum value"}],"result":null}`,
		"success not bool":       `{"success":"true","result":[],` + info + `}`,
		"result object":          `{"success":true,"result":{},` + info + `}`,
		"result of strings":      `{"success":true,"result":["a"],` + info + `}`,
		"null log":               `{"success":true,"result":[null],` + info + `}`,
		"log without id":         `{"success":true,"result":[{"created_at":"2025-01-02T03:04:05Z"}],` + info + `}`,
		"log with empty id":      `{"success":true,"result":[{"id":"","created_at":"2025-01-02T03:04:05Z"}],` + info + `}`,
		"log without created_at": `{"success":true,"result":[{"id":"a"}],` + info + `}`,
		"bad created_at":         `{"success":true,"result":[{"id":"a","created_at":"yesterday"}],` + info + `}`,
		"numeric id":             `{"success":true,"result":[{"id":1,"created_at":"2025-01-02T03:04:05Z"}],` + info + `}`,
		"fractional duration":    `{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","duration":1.5}],` + info + `}`,
		"duration as string":     `{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","duration":"5"}],` + info + `}`,
		"tokens overflow":        `{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","tokens_in":1e30}],` + info + `}`,
		"metadata number":        `{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","metadata":5}],` + info + `}`,
		"no result_info":         `{"success":true,"result":[]}`,
		"null result_info":       `{"success":true,"result":[],"result_info":null}`,
		"result_info array":      `{"success":true,"result":[],"result_info":[]}`,
		"fractional count":       `{"success":true,"result":[],"result_info":{"count":0.5}}`,
		"negative total":         `{"success":true,"result":[],"result_info":{"total_count":-1}}`,
		"cost as string":         `{"success":true,"result":[],"result_info":{"min_cost":"1"}}`,
		"huge float":             `{"success":true,"result":[],"result_info":{"max_cost":1e400}}`,
	}
	for name, body := range tests {
		t.Run(name, func(t *testing.T) {
			got, err := decodeListLogs([]byte(body))
			if err == nil {
				t.Fatalf("want an error, got %+v", got)
			}
			if !errors.Is(err, ErrMalformedResponse) {
				t.Errorf("error does not wrap ErrMalformedResponse: %v", err)
			}
			if got != nil {
				t.Errorf("non-nil page on error")
			}
		})
	}
}

// A 2xx that says success:false is reported with the upstream's reason even
// when the rest of it has another shape than expected.
func TestDecodeSuccessFalseWins(t *testing.T) {
	for _, body := range []string{
		`{"success":false,"errors":[{"code":7001,"message":"Invalid enum value"}],"result":{}}`,
		`{"result":"x","result_info":[],"errors":[{"message":"Invalid enum value"}],"success":false}`,
	} {
		_, err := decodeListLogs([]byte(body))
		if !errors.Is(err, ErrMalformedResponse) || !strings.Contains(err.Error(), "success:false (Invalid enum value)") {
			t.Errorf("%s: got %v", body, err)
		}
	}
}

// Through the client: a 200 that is not a usable answer is an error, never a
// zero page, and is not retried (it would be just as broken next time).
func TestListLogsMalformed200(t *testing.T) {
	for name, body := range map[string]string{
		"html":          `<html>oops</html>`,
		"truncated":     fullLogBody[:100],
		"success false": `{"success":false,"errors":[{"code":1,"message":"nope ` + testToken + `"}],"result":null}`,
	} {
		t.Run(name, func(t *testing.T) {
			srv, seen := newUpstream(t, func(w http.ResponseWriter, r *http.Request, n int) { writeJSON(w, 200, body) })
			c, _ := newTestClient(t, srv, Options{}, false)
			page, err := c.ListLogs(context.Background(), Credentials{Token: testToken}, testAccount, testGateway, ListLogsParams{})
			if !errors.Is(err, ErrMalformedResponse) || page != nil {
				t.Fatalf("got %v, %v", page, err)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("error leaks the token: %v", err)
			}
			if seen.count() != 1 {
				t.Errorf("requests = %d, want 1", seen.count())
			}
		})
	}
}
