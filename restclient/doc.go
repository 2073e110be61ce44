// Package restclient is a typed client for Cloudflare AI Gateway's REST API
// (List Gateway Logs and its neighbours). It knows nothing of GraphQL: the
// graph package translates GraphQL into the option structs defined here.
//
// The contract of record for the upstream is ../shared/upstream/FACTS.md; in
// particular `filters` is sent as ONE query parameter holding a JSON array,
// because the live API ignores the dotted form the official SDKs produce.
package restclient
