// Package restclient is a typed client for Cloudflare AI Gateway's REST API
// (List Gateway Logs and its neighbours). It knows nothing of GraphQL: the
// graph package translates GraphQL into the option structs defined here.
//
// The upstream contract this package relies on, with its public sources, is
// docs/upstream.md in this repository; in particular `filters` is sent as ONE
// query parameter holding a JSON array, because the live API is reported to
// ignore the dotted form the official SDKs produce.
package restclient
