package main

import (
	"encoding/json"
	"fmt"
)

// benchGateway is the gateway every throughput scenario reads.
const benchGateway = "prod-chat"

// logFields is the selection of scenario 1: the columns a log table shows.
const logFields = "logId createdAt provider model cost duration tokensIn tokensOut success cached"

// logsQuery is the GraphQL query of scenarios 1c and 2: one window of the
// newest `first` logs of the bench gateway.
func logsQuery(first int) string {
	return fmt.Sprintf(`{ logs(gatewayId: %q, first: %d) { nodes { %s } } }`, benchGateway, first, logFields)
}

// restLogsPath is the upstream path of the bench gateway's logs; the direct
// and proxied scenarios append `?page=1&per_page=50`.
func restLogsPath(accountID string) string {
	return "/client/v4/accounts/" + accountID + "/ai-gateway/gateways/" + benchGateway + "/logs"
}

// gqlBody is the JSON body of a GraphQL POST.
func gqlBody(query string, vars map[string]any) []byte {
	req := map[string]any{"query": query}
	if vars != nil {
		req["variables"] = vars
	}
	b, err := json.Marshal(req)
	if err != nil {
		panic(err) // only strings and slices of strings go in
	}
	return b
}
