package observe

import (
	"slices"
	"time"
)

// Operation is what is recorded of one GraphQL operation, by the metrics,
// the request log and its span alike: never the query text, variables,
// error messages or headers. The GraphQL layer fills it in; this package
// knows nothing of GraphQL itself.
type Operation struct {
	Name          string    // the operation's name in the document; "" if none
	Kind          string    // query, mutation, subscription; "" when the document never parsed
	Start         time.Time // when the request began (zero: unknown)
	UpstreamCalls int       // upstream calls it made, retries not counted
	Errors        int       // errors answered
	Codes         []string  // the extensions.code of each error ("" for none)
	ClientGone    bool      // the client left before its answer was ready
}

// name is the operation's name as recorded: anonymous if it has none,
// truncated.
func (op Operation) name() string {
	if op.Name == "" {
		return anonymous
	}
	return truncate(op.Name, maxNameLen)
}

// duration is the time since the request began.
func (op Operation) duration() time.Duration {
	if op.Start.IsZero() {
		return 0
	}
	return time.Since(op.Start)
}

// codes returns the distinct codes, sorted, at most maxCodes of them. Codes
// are upper-case words (the GraphQL layer's and its library's); anything else is reported as
// UNKNOWN rather than copied into a label.
func (op Operation) codes() []string {
	var codes []string
	for _, c := range op.Codes {
		if !validCode(c) {
			c = unknownCode
		}
		if !slices.Contains(codes, c) {
			codes = append(codes, c)
		}
	}
	slices.Sort(codes)
	if len(codes) > maxCodes {
		codes = codes[:maxCodes]
	}
	return codes
}
