package graph

// NewHandlerWithTransports is the endpoint with other transports, for tests
// that compare ours with gqlgen's on the same stack.
var NewHandlerWithTransports = newHandler
