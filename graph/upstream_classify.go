package graph

import "github.com/aigw/gqlfacade/restclient"

// ClassifyUpstreamError is how the service answers an upstream failure: the
// GraphQL error code (extensions.code) and message. It lets a check of the
// live API say what users would see, from the one place that decides it.
func ClassifyUpstreamError(e *restclient.Error) (code, message string) {
	return classifyUpstream(e)
}
