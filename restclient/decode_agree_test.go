package restclient

import (
	"bytes"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/aigw/gqlfacade/cfsim"
)

// decodeListLogs decodes a List Gateway Logs 2xx body as ListLogs does.
func decodeListLogs(body []byte) (*LogPage, error) {
	var out listLogsOut
	if err := out.decodeBody(decoder{unmarshal: decodeJSON, scrub: keepMessage}, body); err != nil {
		return nil, err
	}
	return &out.page, nil
}

func keepMessage(s string) string { return s }

// agreeSeeds are bodies at the edges of JSON and of the wire shapes: the
// client's decoder must treat each exactly as encoding/json does.
var agreeSeeds = []string{
	fullLogBody, emptyPage,
	`{"success":true,"result":null,"result_info":{"count":0,"page":1,"per_page":20,"total_count":0}}`,
	`{"success":true,"result_info":{"count":0,"page":1,"per_page":20,"total_count":0}}`,
	`{"success":true,"result":[],"result_info":{}}`,
	` {"success" : true , "result" : [ ] , "result_info" : { "count" : 0 } } `,
	"{\n\t\"success\":true,\r\n\"result\":[],\"result_info\":{\"count\":0}}\n",
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","metadata":{ "k" : [1, 2] }}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","metadata":[ ]}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","metadata":"{\"q\":\"\\u00e9\\ud83d\\ude00\\ud800x\\/\"}"}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a\u00e9\"\\","created_at":"2025-01-02T03:04:05Z","provider":"caf` + "\xc3\xa9 \xff\xfe" + `"}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","provider":null,"duration":null,"success":null,"cached":null,"tokens_in":null,"custom_cost":null,"model_type":null,"step":null}],"result_info":{"count":null,"page":null}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","duration":5.0,"tokens_in":5e0,"step":-0,"status_code":2E2,"cost":-0.0,"custom_cost":false}],"result_info":{"count":1.0,"total_count":1e3,"min_cost":1E-400,"max_cost":-0}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","duration":1.5}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","tokens_in":1e30}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","cost":1e400}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05.123456789+14:00"}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"0000-01-01T00:00:00Z"}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"ID":"a","created_at":"2025-01-02T03:04:05Z"}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","Created_At":"2025-01-02T03:04:05Z"}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","id":"b"}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","model":"x","model":null}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"\u0069d":"a","created_at":"2025-01-02T03:04:05Z"}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","ſtep":1,"\u212aey":2}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z"}],"result":[{"id":"b","created_at":"2025-01-02T03:04:05Z"}],"result_info":{"count":1}}`,
	`{"Success":true,"result":[],"result_info":{"count":1}}`,
	`{"success":true,"success":false,"result":[],"result_info":{"count":1}}`,
	`{"success":true,"result":[],"result_info":{"count":1},"RESULT_INFO":null}`,
	`{"success":true,"result":[],"result_info":{"count":1,"Count":2}}`,
	`{"success":true,"result":[],"result_info":{"count":1,"count":2}}`,
	`{"success":true,"errors":[{"code":1,"message":"x"}],"messages":[{"a":[1,{"b":null}]}],"result":[],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","extra":{"deep":[[[[{"x":"\ud800"}]]]],"e":-1.5e-3}}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z"},],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z",}],"result_info":{"count":1}}`,
	`{"success":true,"result":[],"result_info":{"count":01}}`,
	`{"success":true,"result":[],"result_info":{"count":1.}}`,
	`{"success":true,"result":[],"result_info":{"count":-}}`,
	`{"success":true,"result":[],"result_info":{"count":1e}}`,
	`{"success":true,"result":[],"result_info":{"count":1,"x":"\x01"}}`,
	`{"success":true,"result":[],"result_info":{"count":1,"x":"\q"}}`,
	`{"success":true,"result":[],"result_info":{"count":1,"x":"\u12"}}`,
	`{"success":true,"result":[],"result_info":{"count":1,"x":tru}}`,
	`{"success":true,"result":[],"result_info":{"count":1,"x":nul}}`,
	`{"success":true,"result":[],"result_info":{"count":1}}x`,
	`{"success":true,"result":[],"result_info":{"count":1}}{}`,
	`{"success":true,"result":[],"result_info":{"count":-1}}`,
	`{"success":true,"result":[],"result_info":{"count":9223372036854775807,"page":-0,"total_count":1e18}}`,
	`{"success":true,"result":[],"result_info":{"count":9223372036854775808}}`,
	`{"success":true,"result":[null],"result_info":{"count":1}}`,
	`{"success":true,"result":{},"result_info":{"count":1}}`,
	`{"success":true,"result":[],"result_info":null}`,
	`{"success":true,"result":[],"result_info":[]}`,
	`{"success":"true","result":[],"result_info":{}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","metadata":5}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","metadata":true}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","provider":5}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","success":"yes"}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","custom_cost":1}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","tokens_in":"5"}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":"2025-01-02T03:04:05Z","cost":"5"}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"","created_at":"2025-01-02T03:04:05Z"}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":null,"created_at":"2025-01-02T03:04:05Z"}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a","created_at":null}],"result_info":{"count":1}}`,
	`{"success":true,"result":[{"id":"a"}],"result_info":{"count":1}}`,
	`{"success":false,"errors":[{"code":7001,"message":"Invalid enum value"}],"result":null}`,
	"\xef\xbb\xbf" + emptyPage,
	``, `null`, `{}`, `[]`, `"x"`, `{`, `{"success":true`,
}

// gatewaySeeds add the other shapes' edges (the list seeds reach them too).
var gatewaySeeds = []string{
	`{"success":true,"result":{"id":"g","created_at":"2025-01-02T03:04:05Z","modified_at":null,"cache_ttl":60.0,"dlp":null,"guardrails":{"a":[1]},"otel":[{"x":1}]}}`,
	`{"success":true,"result":[{"id":"g","cache_ttl":1.5}],"result_info":null}`,
	`{"success":true,"result":[{"id":"g","dlp":{"enabled":true},"DLP":null,"Cache_TTL":5}],"result_info":{"count":1}}`,
	`{"success":true,"result":{"id":"a","created_at":"2025-01-02T03:04:05Z","request_head":"{\"m\":1}","request_size":1e3,"response_head_complete":null,"response_size":-1}}`,
	`{"success":true,"result":{"id":"a","created_at":"2025-01-02T03:04:05Z","request_size":"5"}}`,
	`{"success":true,"result":{"id":"a"},"result_info":"odd"}`,
	`{"success":false,"errors":[{"code":"x"},{"code":7.0,"message":"two"},5,{"message":"m","message":"n"}],"result":{}}`,
	`{"errors":{"code":1}}`, `{"errors":[{"code":1e30}]}`,
	`{"success":true,"result":{"id":"g","retry_delay":5e2,"retry_max_attempts":3,"retry_backoff":"linear","store_id":null,"spend_limits":{"enabled":true,"rules":[{"limitType":"cost","limit":2.5,"window":3600.0,"metadata":{"team":{"mode":"partition"},"app":{"mode":"filter","values":["a"]},"x":null},"provider":{"mode":"filter","values":null}}]},"otel":[{"url":"u","headers":{"b":"s1","a":{"k":1}},"authorization":7}],"stripe":{"authorization":"","usage_events":[{"payload":"p"}]}}}`,
	`{"success":true,"result":{"id":"g","spend_limits":{"rules":[{"limit":1}]},"otel":{"url":"u"},"stripe":null}}`,
}

// decodeShapes are the client's decoders of every wire shape, each run with
// the given JSON library: its answer, which counts only without an error.
var decodeShapes = map[string]func(unmarshal func([]byte, any) error, body []byte) (any, error){
	"logs":     shapeOf[listLogsOut],
	"detail":   shapeOf[logDetailOut],
	"gateways": shapeOf[gatewayPageOut],
	"gateway":  shapeOf[gatewayOut],
	"result": func(unmarshal func([]byte, any) error, body []byte) (any, error) {
		var v any
		err := resultOut{&v}.decodeBody(decoder{unmarshal: unmarshal, scrub: keepMessage}, body)
		return v, err
	},
	"errors": func(unmarshal func([]byte, any) error, body []byte) (any, error) {
		return parseErrorBody(unmarshal, body), nil
	},
}

func shapeOf[T any, PT interface {
	*T
	bodyDecoder
}](unmarshal func([]byte, any) error, body []byte) (any, error) {
	out := PT(new(T))
	return out, out.decodeBody(decoder{unmarshal: unmarshal, scrub: keepMessage}, body)
}

// TestDecodeAgrees: on every seed, and on thousands of random mutations of
// real answers, the client's decoder (go-json) and encoding/json accept or
// refuse alike, and give the same values when they accept.
func TestDecodeAgrees(t *testing.T) {
	for _, s := range append(agreeSeeds, gatewaySeeds...) {
		checkAgrees(t, []byte(s))
	}
	bodies := append(simBodies(t), []byte(fullLogBody))
	rng := rand.New(rand.NewPCG(1, 2))
	tokens := []string{`"`, `\`, `{`, `}`, `[`, `]`, `,`, `:`, `null`, `true`, `1.5`, `-0`, `1e3`, ` `, "\xff", `\u00e9`, `"id"`, `"ID"`}
	for n := 0; n < 4000; n++ {
		b := bytes.Clone(bodies[n%len(bodies)])
		for range 1 + rng.IntN(3) {
			i := rng.IntN(len(b))
			switch rng.IntN(3) {
			case 0: // delete a byte
				b = append(b[:i], b[i+1:]...)
			case 1: // insert a token
				b = append(b[:i], append([]byte(tokens[rng.IntN(len(tokens))]), b[i:]...)...)
			case 2: // flip a byte
				b[i] = byte(rng.IntN(128))
			}
		}
		checkAgrees(t, b)
	}
}

// simBodies are cfsim's answers of each shape (small pages, to keep the
// mutations dense).
func simBodies(tb testing.TB) [][]byte {
	return [][]byte{
		simPageBody(tb, "page=1&per_page=3"),
		simPageBody(tb, "page=2&per_page=2&meta_info=true"),
		simBody(tb, func(*cfsim.Server) string { return "/gateways?per_page=2" }),
		simBody(tb, func(*cfsim.Server) string { return "/gateways/prod-chat" }),
		simBody(tb, func(s *cfsim.Server) string { return "/gateways/prod-chat/logs/" + s.Logs("prod-chat")[0].ID }),
	}
}

// TestDecodeTakesAnswers: ordinary answers of every shape decode, and alike.
func TestDecodeTakesAnswers(t *testing.T) {
	for name, body := range map[string][]byte{
		"cfsim page":           simPageBody(t, page50Query),
		"cfsim page meta_info": simPageBody(t, page50Query+"&meta_info=true"),
		"cfsim empty page":     simPageBody(t, page50Query+"&search=no-such-thing-anywhere"),
		"full log":             []byte(fullLogBody),
		"empty":                []byte(emptyPage),
		"metadata object":      []byte(agreeSeeds[7]),
		"escapes":              []byte(agreeSeeds[9]),
	} {
		if _, err := decodeListLogs(body); err != nil {
			t.Errorf("%s: %v: %.200s", name, err, body)
		}
		checkAgrees(t, body)
	}
	for i, body := range simBodies(t)[2:] {
		shape := []string{"gateways", "gateway", "detail"}[i]
		if _, err := decodeShapes[shape](decodeJSON, body); err != nil {
			t.Errorf("%s: %v: %.200s", shape, err, body)
		}
	}
}

func checkAgrees(t *testing.T, body []byte) {
	t.Helper()
	for name, decode := range decodeShapes {
		// The answer must not alias the body (client.go recycles body
		// buffers) nor anything of the library's that the next call reuses:
		// decode a copy, then scribble over it and decode something else
		// before comparing.
		scratch := bytes.Clone(body)
		got, err := decode(decodeJSON, scratch)
		for i := range scratch {
			scratch[i] = 'x'
		}
		_, _ = decode(decodeJSON, []byte(fullLogBody))
		want, wantErr := decode(json.Unmarshal, body)
		switch {
		case (err == nil) != (wantErr == nil):
			t.Fatalf("%s: go-json says %v, encoding/json says %v, on %q", name, err, wantErr, body)
		case err != nil && (!errors.Is(err, ErrMalformedResponse) || !errors.Is(wantErr, ErrMalformedResponse)):
			t.Fatalf("%s: errors do not wrap ErrMalformedResponse: %v / %v", name, err, wantErr)
		case err == nil && !reflect.DeepEqual(got, want):
			t.Fatalf("%s: go-json and encoding/json differ on %q:\ngo-json       %+v\nencoding/json %+v", name, body, got, want)
		}
	}
}

// FuzzDecodeAgrees is TestDecodeAgrees's property over any bytes.
func FuzzDecodeAgrees(f *testing.F) {
	for _, s := range append(agreeSeeds, gatewaySeeds...) {
		f.Add([]byte(s))
	}
	for _, b := range simBodies(f) {
		f.Add(b)
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		checkAgrees(t, body)
	})
}
