// Package cfsim is a faithful simulated Cloudflare AI Gateway API (gateways and logs): a real
// http.Handler over a deterministic generated data set. It is the upstream of
// `go run . -demo` and of most tests, so it follows the upstream contract as
// docs/upstream.md in this repository describes it (validation, 50-item pages,
// JSON `filters`, error envelopes; there, each of the choices below is marked
// as documented upstream or ours), and offers knobs (live traffic, latency,
// faults, a request log) that tests use to assert exactly which calls were made.
//
// Routes (with or without the /client/v4 prefix):
//
//	GET    /accounts/{account_id}/ai-gateway/gateways
//	GET    /accounts/{account_id}/ai-gateway/gateways/{gateway_id}
//	GET    /accounts/{account_id}/ai-gateway/gateways/{gateway_id}/logs
//	DELETE /accounts/{account_id}/ai-gateway/gateways/{gateway_id}/logs
//	GET    /accounts/{account_id}/ai-gateway/gateways/{gateway_id}/logs/{id}
//	PATCH  /accounts/{account_id}/ai-gateway/gateways/{gateway_id}/logs/{id}
//	GET    /accounts/{account_id}/ai-gateway/gateways/{gateway_id}/logs/{id}/request
//	GET    /accounts/{account_id}/ai-gateway/gateways/{gateway_id}/logs/{id}/response
//
// Checks run in this order: route (404 code 7000), method (405, with
// Allow), injected fault, credentials (400 code 9106 when none are sent,
// 401 code 10000 when they are wrong), account (404 code 7003), query or body validation
// (400, errors [{message}] without code, one per problem), gateway or log id
// (404 code 7002). Every request is recorded (Requests), body included.
//
// Where the upstream is silent, the simulator decides as follows:
//   - gateways: each has a configuration generated from Seed and its name
//     (GatewayConfig); is_default is true for the first gateway only. List
//     Gateways pages the gateways in Options order (ExtraGateways last),
//     search is a case-insensitive substring of the id, and the answer has
//     no result_info, as its spec documents (Options.GatewaysWithResultInfo
//     adds {page, per_page, count, total_count}, for the paths that use a
//     total).
//   - …/logs/{id}/request and …/response answer the stored body itself,
//     with NO envelope (the spec's 200 schema is a bare object, unlike every
//     other endpoint's). Request bodies are JSON objects; a streamed
//     response was stored as text/event-stream text, which is not JSON, and
//     is served as a JSON string holding that text. request_head /
//     response_head are the first 256 bytes of these bodies and
//     request_size / response_size their lengths.
//   - PATCH …/logs/{id} follows JSON merge-patch rules: an absent member is
//     left as is, null clears it. feedback (−1..1) is what the `feedback`
//     filter sees, metadata (an object of strings, numbers and booleans)
//     replaces the log's metadata string (keys sorted, compact), score
//     (0..100) is kept but served by no endpoint, as upstream. Unknown
//     members are ignored; a body that is not a JSON object is a 400. The
//     answer is {success:true, result:{}, errors:[], messages:[]}.
//   - DELETE …/logs deletes, for good, the first `limit` (1–10000, default
//     10000) logs matching the filters in the order asked (order_by also
//     takes cost, tokens_in, tokens_out, duration and feedback, a null first;
//     order_by_direction defaults to asc), and answers the spec's bare
//     {"success":true}; without filters it deletes every log.
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
//
// Options.Quirks (and Options.IgnoreFilters) each break one of these rules
// or of docs/upstream.md's, for tests of code that must notice such an
// upstream.
package cfsim
