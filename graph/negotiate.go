package graph

import (
	"mime"
	"net/http"
	"strings"
)

// The media types of a GraphQL answer over HTTP.
const (
	mediaJSON            = "application/json"
	mediaGraphQLResponse = "application/graphql-response+json"
)

// responseMediaType picks the media type of the answer to r from its Accept
// header the way gqlgen's own transports do (their helper is not exported):
// the first of application/json, application/graphql-response+json, */* or
// application/* in the list wins, q-values aside; */* and application/* and
// no Accept at all mean application/json; an Accept naming none of these
// gets application/graphql-response+json. Keeping gqlgen's choice keeps
// every transport of the endpoint, gqlgen's included, answering one request
// the same way (TestPOSTParityWithGqlgen).
func responseMediaType(r *http.Request) string {
	accept := r.Header.Get("Accept")
	if accept == "" {
		return mediaJSON
	}
	for part := range strings.SplitSeq(accept, ",") {
		mediaType, _, err := mime.ParseMediaType(strings.TrimSpace(part))
		if err != nil {
			continue
		}
		switch mediaType {
		case "*/*", "application/*", mediaJSON:
			return mediaJSON
		case mediaGraphQLResponse:
			return mediaGraphQLResponse
		}
	}
	return mediaGraphQLResponse
}

// requestErrorStatus is the status of an answer without data — a request
// error: the request was well formed but could not run (it did not parse or
// validate, its variables did not coerce, it was refused before running).
// The GraphQL-over-HTTP specification asks for 200 in application/json, so
// that a client reads the errors as it reads any answer, and for a 4xx in
// application/graphql-response+json, whose clients know to read the body
// of a 4xx.
func requestErrorStatus(mediaType string) int {
	if mediaType == mediaGraphQLResponse {
		return http.StatusBadRequest
	}
	return http.StatusOK
}
