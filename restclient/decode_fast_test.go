package restclient

import (
	"bytes"
	"math/rand/v2"
	"reflect"
	"testing"
)

// fastSeeds are bodies at the edges of what the fast path takes: each is
// either declined or decoded exactly as the general path does.
var fastSeeds = []string{
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

// TestFastDecodeAgrees: on every seed, and on thousands of random
// mutations of real pages, the fast path either declines or gives exactly
// the general path's page.
func TestFastDecodeAgrees(t *testing.T) {
	for _, s := range fastSeeds {
		checkFastAgrees(t, []byte(s))
	}
	bodies := [][]byte{simPageBody(t, "page=1&per_page=3"), simPageBody(t, "page=2&per_page=2&meta_info=true")}
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
		checkFastAgrees(t, b)
	}
}

// TestFastDecodeTakesPages: ordinary answers do take the fast path (else
// the optimisation would be silently gone).
func TestFastDecodeTakesPages(t *testing.T) {
	for name, body := range map[string][]byte{
		"cfsim page":           simPageBody(t, page50Query),
		"cfsim page meta_info": simPageBody(t, page50Query+"&meta_info=true"),
		"cfsim empty page":     simPageBody(t, page50Query+"&search=no-such-thing-anywhere"),
		"full log":             []byte(fullLogBody),
		"empty":                []byte(emptyPage),
		"metadata object":      []byte(fastSeeds[7]),
		"escapes":              []byte(fastSeeds[9]),
	} {
		if _, ok := decodeListLogsFast(body); !ok {
			t.Errorf("%s: fast path declined %.200s", name, body)
		}
	}
}

func checkFastAgrees(t *testing.T, body []byte) {
	t.Helper()
	// The page must not alias the body (client.go recycles body buffers):
	// decode a copy, then scribble over it before comparing.
	scratch := bytes.Clone(body)
	fast, ok := decodeListLogsFast(scratch)
	for i := range scratch {
		scratch[i] = 'x'
	}
	general, err := decodeListLogsGeneral(body)
	if !ok {
		// The entry point must then still answer as the general path.
		got, gotErr := decodeListLogs(body)
		if (gotErr == nil) != (err == nil) || (err != nil && gotErr.Error() != err.Error()) || (err == nil && !reflect.DeepEqual(got, general)) {
			t.Fatalf("decodeListLogs differs from the general path on %q:\n%v %+v\n%v %+v", body, gotErr, got, err, general)
		}
		return
	}
	if err != nil {
		t.Fatalf("fast path accepted what the general path refuses (%v):\n%q", err, body)
	}
	if !reflect.DeepEqual(&fast, general) {
		t.Fatalf("fast and general paths differ on %q:\nfast    %+v\ngeneral %+v", body, fast, *general)
	}
}

// FuzzFastDecodeAgrees is TestFastDecodeAgrees's property over any bytes.
func FuzzFastDecodeAgrees(f *testing.F) {
	for _, s := range fastSeeds {
		f.Add([]byte(s))
	}
	f.Add(simPageBody(f, "page=1&per_page=2&meta_info=true"))
	f.Fuzz(func(t *testing.T, body []byte) {
		checkFastAgrees(t, body)
	})
}
