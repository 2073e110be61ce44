package graph

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/99designs/gqlgen/graphql"
)

// BenchmarkDecodeParams compares decodeParams, on the path of every POST,
// with the plain json.Decoder it replaced, on a typical request body.
func BenchmarkDecodeParams(b *testing.B) {
	body := `{"operationName":"GatewayLogs","query":"query GatewayLogs($gw: ID!, $f: AIGatewayLogFilter) { logs(gatewayId: $gw, first: 50, filter: $f) { totalCount pageInfo { hasNextPage endCursor } nodes { logId createdAt provider model tokensIn tokensOut cost duration success cached } } }","variables":{"gw":"prod-chat","f":{"provider":{"in":["openai","anthropic"]},"cost":{"gt":0.01}}},"extensions":{"persistedQuery":{"version":1,"sha256Hash":"ecf4edb46db40b5132295c0291d62fb65d6759a9eedfa4d5d612dd5ec54a6b38"}}}`
	b.Run("decodeParams", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var p graphql.RawParams
			if err := decodeParams(strings.NewReader(body), &p); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("json.Decoder", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var p graphql.RawParams
			dec := json.NewDecoder(strings.NewReader(body))
			dec.UseNumber()
			if err := dec.Decode(&p); err != nil {
				b.Fatal(err)
			}
		}
	})
}
