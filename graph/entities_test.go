package graph_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/aigw/gqlfacade/graph/globalid"
)

// firstLogIDs lists the first n log ids of a gateway, newest first.
func firstLogIDs(e *env, gateway string, n int) []string {
	e.t.Helper()
	var r struct {
		Logs struct{ Nodes []struct{ LogID string } }
	}
	e.mustDo(`query($g: ID!, $n: Int) { logs(gatewayId: $g, first: $n) { nodes { logId } } }`, map[string]any{"g": gateway, "n": n}, &r)
	ids := make([]string, len(r.Logs.Nodes))
	for i, n := range r.Logs.Nodes {
		ids[i] = n.LogID
	}
	return ids
}

// TestEntitiesByGlobalID: a node-owning subgraph or a gateway's
// global-object-identification plugin fetches our logs and gateways by the
// global id they carry; logs come back as `node` gives them, looked up in
// one call per gateway and 50 logs, and one representation that is not
// valid fails alone.
func TestEntitiesByGlobalID(t *testing.T) {
	e := newEnv(t)
	acc := e.sim.AccountID()
	prod, staging := firstLogIDs(e, "prod-chat", 60), firstLogIDs(e, "staging", 3)
	var reps []map[string]any
	var want []string // logIds in representation order, "" for a gateway
	for _, id := range prod {
		reps = append(reps, map[string]any{"__typename": "AIGatewayLog", "id": globalid.Log(acc, "prod-chat", id)})
		want = append(want, id)
	}
	reps = append(reps, map[string]any{"__typename": "AIGateway", "id": globalid.Gateway(acc, "staging")})
	want = append(want, "")
	for _, id := range staging {
		reps = append(reps, map[string]any{"__typename": "AIGatewayLog", "id": globalid.Log(acc, "staging", id)})
		want = append(want, id)
	}
	e.sim.ResetRequests()
	var r struct {
		Entities []struct {
			Typename  string `json:"__typename"`
			ID        string
			LogID     string
			GatewayID string
			Provider  string
			Gateway   struct{ GatewayID string }
		} `json:"_entities"`
	}
	e.mustDo(`query($r: [_Any!]!) { _entities(representations: $r) {
		__typename
		... on AIGatewayLog { id logId provider gateway { gatewayId } }
		... on AIGateway { id gatewayId }
	} }`, map[string]any{"r": reps}, &r)
	if len(r.Entities) != len(reps) {
		t.Fatalf("%d entities for %d representations", len(r.Entities), len(reps))
	}
	for i, ent := range r.Entities {
		if ent.ID != reps[i]["id"] || ent.LogID != want[i] {
			t.Errorf("entity %d: %+v, want id %v logId %q", i, ent, reps[i]["id"], want[i])
		}
	}
	if g := r.Entities[len(prod)]; g.Typename != "AIGateway" || g.GatewayID != "staging" {
		t.Errorf("gateway entity: %+v", g)
	}
	// ⌈60/50⌉ calls for prod-chat, one for staging; the gateway costs none.
	perGateway := map[string]int{}
	for _, c := range e.sim.Requests() {
		perGateway[c.GatewayID]++
	}
	if perGateway["prod-chat"] != 2 || perGateway["staging"] != 1 || len(perGateway) != 2 {
		t.Errorf("upstream calls per gateway %v, want prod-chat 2 and staging 1:\n%s", perGateway, strings.Join(e.calls(), "\n"))
	}
	// The same logs as node gives them.
	var node struct {
		Node struct{ LogID, Provider string }
	}
	e.mustDo(`query($id: ID!) { node(id: $id) { ... on AIGatewayLog { logId provider } } }`, map[string]any{"id": reps[0]["id"]}, &node)
	if node.Node.Provider != r.Entities[0].Provider || node.Node.LogID != r.Entities[0].LogID {
		t.Errorf("node %+v, entity %+v", node.Node, r.Entities[0])
	}
}

// TestEntityRepresentationFailsAlone: a representation whose id is not one
// of ours, or names the other type, or whose gateway id is not valid, is
// BAD_USER_INPUT at its own index of _entities; the rest of the batch
// resolves. (gqlgen resolves all the representations of one type by the
// key of the first, so each key form goes in a batch of its own, as
// federated gateways send them.)
func TestEntityRepresentationFailsAlone(t *testing.T) {
	e := newEnv(t)
	acc := e.sim.AccountID()
	logID := firstLogIDs(e, "prod-chat", 1)[0]
	reps := []map[string]any{
		{"__typename": "AIGatewayLog", "id": globalid.Log(acc, "prod-chat", logID)},
		{"__typename": "AIGatewayLog", "id": globalid.Gateway(acc, "prod-chat")},
		{"__typename": "AIGateway", "id": "not-an-id"},
		{"__typename": "AIGateway", "id": globalid.Gateway(acc, "staging")},
	}
	byIDs := []map[string]any{
		{"__typename": "AIGateway", "accountId": acc, "gatewayId": "../x"},
		{"__typename": "AIGateway", "accountId": acc, "gatewayId": "batch-jobs"},
	}
	const q = `query($r: [_Any!]!) { _entities(representations: $r) { ... on AIGatewayLog { logId } ... on AIGateway { gatewayId } } }`
	var r struct {
		Entities []*struct{ LogID, GatewayID string } `json:"_entities"`
	}
	errs := e.do(q, map[string]any{"r": reps}, &r)
	failed := map[int]bool{}
	for _, err := range errs {
		if err.code() != "BAD_USER_INPUT" || len(err.Path) != 2 || err.Path[0] != "_entities" {
			t.Errorf("error %+v, want BAD_USER_INPUT at a path [_entities, i]", err)
			continue
		}
		failed[int(err.Path[1].(float64))] = true
	}
	if !hasExactly(failed, 1, 2) {
		t.Errorf("failed representations %v, want 1 and 2 (errors %+v)", failed, errs)
	}
	if len(r.Entities) != len(reps) || r.Entities[0] == nil || r.Entities[0].LogID != logID || r.Entities[3] == nil || r.Entities[3].GatewayID != "staging" {
		t.Errorf("entities %+v", r.Entities)
	}

	errs = e.do(q, map[string]any{"r": byIDs}, &r)
	if len(errs) != 1 || errs[0].code() != "BAD_USER_INPUT" || fmt.Sprint(errs[0].Path) != "[_entities 0]" {
		t.Errorf("errors %+v, want BAD_USER_INPUT at [_entities 0]", errs)
	}
	if len(r.Entities) != 2 || r.Entities[1] == nil || r.Entities[1].GatewayID != "batch-jobs" {
		t.Errorf("entities %+v", r.Entities)
	}
}

func hasExactly(m map[int]bool, keys ...int) bool {
	if len(m) != len(keys) {
		return false
	}
	for _, k := range keys {
		if !m[k] {
			return false
		}
	}
	return true
}

// TestEntityFetchPricedPerRepresentation: an entity fetch costs what the
// same objects fetched directly cost — a fragment is reached once per
// representation of its own type — so a federated gateway's fair batch
// passes the default limit, and one over it is told how many fit.
func TestEntityFetchPricedPerRepresentation(t *testing.T) {
	e := newEnv(t, func(_ *graphConfig, o *cfsimOptions) { o.ExtraGateways = 80 })
	acc := e.sim.AccountID()
	limit := e.resolver.Config.Limits.MaxUpstreamCalls
	gateways := func(n int) []map[string]any {
		var reps []map[string]any
		for i := 1; i <= n; i++ {
			reps = append(reps, map[string]any{"__typename": "AIGateway", "accountId": acc, "gatewayId": fmt.Sprintf("gw-%03d", i)})
		}
		return reps
	}
	const q = `query($r: [_Any!]!) { _entities(representations: $r) {
		... on AIGateway { gatewayId logs(first: 3) { nodes { logId } } }
		... on AIGatewayLog { logId requestBody }
		... on Node { id }
	} }`

	// 30 gateways' first three logs: 30 calls, one per gateway.
	e.sim.ResetRequests()
	var r struct {
		Entities []map[string]any `json:"_entities"`
	}
	e.mustDo(q, map[string]any{"r": gateways(30)}, &r)
	if len(r.Entities) != 30 || e.sim.RequestCount() != 30 {
		t.Fatalf("%d entities with %d upstream calls, want 30 and 30", len(r.Entities), e.sim.RequestCount())
	}

	// 30 gateways and 20 logs with their bodies: 30 + 20 body calls + one
	// lookup of the 20 logs. Priced as a whole (every fragment once per
	// representation) this would be 100 and refused.
	mixed := gateways(30)
	logs := firstLogIDs(e, "prod-chat", 20)
	for _, id := range logs {
		mixed = append(mixed, map[string]any{"__typename": "AIGatewayLog", "id": globalid.Log(acc, "prod-chat", id)})
	}
	if whole := 2 * len(mixed); whole <= limit {
		t.Fatalf("the mixed batch priced as a whole (%d) is within the limit %d: the test proves nothing", whole, limit)
	}
	e.sim.ResetRequests()
	e.mustDo(q, map[string]any{"r": mixed}, &r)
	if want := 30 + 20 + 1; e.sim.RequestCount() != want || len(r.Entities) != len(mixed) {
		t.Fatalf("%d entities with %d upstream calls, want %d and %d:\n%s", len(r.Entities), e.sim.RequestCount(), len(mixed), want, strings.Join(e.calls(), "\n"))
	}

	// Over the limit: refused before any call, saying how many fit.
	over := limit + 5
	e.sim.ResetRequests()
	errs := e.do(q, map[string]any{"r": gateways(over)}, nil)
	expectCode(t, errs, "QUERY_TOO_EXPENSIVE")
	if e.sim.RequestCount() != 0 {
		t.Errorf("%d upstream calls for a refused fetch", e.sim.RequestCount())
	}
	if fit, _ := errs[0].Extensions["representationsThatFit"].(float64); fit != float64(limit) || !strings.Contains(errs[0].Message, fmt.Sprintf("%d of them fit", limit)) {
		t.Errorf("error %q %v, want %d representations to fit", errs[0].Message, errs[0].Extensions, limit)
	}
}

// serviceSDL returns the subgraph SDL, parsed.
func serviceSDL(e *env) (string, *ast.SchemaDocument) {
	e.t.Helper()
	var r struct {
		Service struct{ SDL string } `json:"_service"`
	}
	e.mustDo(`{ _service { sdl } }`, nil, &r)
	doc, err := parser.ParseSchema(&ast.Source{Input: r.Service.SDL})
	if err != nil {
		e.t.Fatalf("the subgraph SDL does not parse: %v", err)
	}
	return r.Service.SDL, doc
}

func queryFields(doc *ast.SchemaDocument) []string {
	var names []string
	for _, defs := range []ast.DefinitionList{doc.Definitions, doc.Extensions} {
		for _, d := range defs {
			if d.Name == "Query" {
				for _, f := range d.Fields {
					names = append(names, f.Name)
				}
			}
		}
	}
	return names
}

// TestNodeFieldsCanLeaveTheSubgraphSDL: with FederationNodeFields off, the
// SDL a supergraph composes has no Query.node or Query.nodes (another
// subgraph owns them) but keeps every other field and the id keys; the
// fields still answer direct requests. gqlgen's own directive is in
// neither SDL.
func TestNodeFieldsCanLeaveTheSubgraphSDL(t *testing.T) {
	on := newEnv(t)
	sdlOn, docOn := serviceSDL(on)
	off := newEnv(t, func(c *graphConfig, _ *cfsimOptions) { c.FederationNodeFields = false })
	sdlOff, docOff := serviceSDL(off)

	fieldsOn, fieldsOff := queryFields(docOn), queryFields(docOff)
	if !slices.Contains(fieldsOn, "node") || !slices.Contains(fieldsOn, "nodes") {
		t.Fatalf("default SDL lacks node/nodes: %v", fieldsOn)
	}
	wantOff := slices.DeleteFunc(slices.Clone(fieldsOn), func(f string) bool { return f == "node" || f == "nodes" })
	if !slices.Equal(fieldsOff, wantOff) {
		t.Errorf("Query fields without node fields: %v, want %v", fieldsOff, wantOff)
	}
	for _, sdl := range []string{sdlOn, sdlOff} {
		if strings.Contains(sdl, "entityResolver") {
			t.Errorf("the SDL names gqlgen's @entityResolver")
		}
		for _, key := range []string{`type AIGateway implements Node @key(fields: "accountId gatewayId") @key(fields: "id")`, `type AIGatewayLog implements Node @key(fields: "id")`} {
			if !strings.Contains(sdl, key) {
				t.Errorf("the SDL lacks %s", key)
			}
		}
	}
	var r struct{ Node struct{ GatewayID string } }
	off.mustDo(`query($id: ID!) { node(id: $id) { ... on AIGateway { gatewayId } } }`, map[string]any{"id": globalid.Gateway(off.sim.AccountID(), "staging")}, &r)
	if r.Node.GatewayID != "staging" {
		t.Errorf("node answers %+v directly with the node fields out of the SDL", r.Node)
	}
}
