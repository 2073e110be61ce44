// Package cfsim is a faithful simulated Cloudflare AI Gateway logs API: a real
// http.Handler over a deterministic generated data set. It is the upstream of
// `go run . -demo` and of most tests, so it follows the upstream contract as
// ../shared/upstream/FACTS.md describes it (validation, 50-item pages, JSON
// `filters`, error envelopes), and offers knobs (live traffic, latency,
// faults, a request log) that tests use to assert exactly which calls were made.
//
// Routes (with or without the /client/v4 prefix):
//
//	GET /accounts/{account_id}/ai-gateway/gateways/{gateway_id}/logs
//	GET /accounts/{account_id}/ai-gateway/gateways/{gateway_id}/logs/{id}
//
// Checks run in this order: route (404 code 7000), method (405), injected
// fault, credentials (401: 9106 when none are sent, 10000 when they are
// wrong), account (403 code 10000), query validation (400, errors [{message}]
// without code, one per problem), gateway or log id (404 code 7002).
//
// Where the upstream is silent, the simulator decides as follows:
//   - filters: one `filters` parameter holding a JSON array; the SDKs'
//     dotted/bracketed forms and the deprecated scalar parameters are ignored
//     like any unknown parameter. Filters AND together. eq = any of the values,
//     neq = none of them (exactly NOT eq), contains = case-sensitive substring
//     (string keys only), lt/gt = exactly one value (numbers, created_at as an
//     instant, strings in byte order; never booleans). A null field never
//     matches eq/contains/lt/gt and always matches neq; a null value in eq/neq
//     matches a null field. tokens = tokens_in + tokens_out (null when both are
//     null). metadata.key / metadata.value match when ANY key / stringified
//     value of the metadata object does. Numeric keys also accept numeric
//     strings, boolean keys "true"/"false", metadata.value numbers and
//     booleans (stringified).
//   - search: case-insensitive substring of id, provider, model, path or the
//     metadata JSON.
//   - ordering is total: the order_by key, then created_at, then id, all in
//     the requested direction, so asc is exactly desc reversed. A null
//     model_type sorts before any model type; false before true.
//   - meta_info=true adds min/max figures over the whole filtered set; each is
//     omitted when no log of the set has the field.
//   - a log's response_head is null (and response_head_complete false) for
//     its first 3 seconds, as the upstream is reported to do.
package cfsim
