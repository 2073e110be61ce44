package cfsim

import (
	"encoding/json"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"
)

// historySpan is how far back the generated history reaches, whatever
// LogsPerGateway is: "the past days" of a real gateway.
const historySpan = 7 * 24 * time.Hour

// profile skews the catalog per gateway so that gateways differ (one is
// chat-heavy, another embedding-heavy) and a facade bug that mixes gateways
// up shows in the data.
type profile struct {
	weights  []float64 // cumulative, over catalog
	authRate float64   // share of requests that used an authenticated gateway token
}

func newProfile(rng *rand.Rand) profile {
	p := profile{weights: make([]float64, len(catalog))}
	sum := 0.0
	for i, m := range catalog {
		sum += m.weight * (0.1 + 1.9*rng.Float64())
		p.weights[i] = sum
	}
	p.authRate = []float64{1, 0, 0.6}[rng.IntN(3)]
	return p
}

func (p profile) pick(rng *rand.Rand) modelSpec {
	x := rng.Float64() * p.weights[len(p.weights)-1]
	for i, w := range p.weights {
		if x < w {
			return catalog[i]
		}
	}
	return catalog[len(catalog)-1]
}

// gatewayRand seeds one gateway's generator from the server seed and the
// gateway's name, so adding a gateway to Options does not change the others.
func gatewayRand(seed int64, gatewayID string) *rand.Rand {
	h := fnv.New64a()
	h.Write([]byte(gatewayID))
	return rand.New(rand.NewPCG(uint64(seed), h.Sum64()))
}

// generateHistory makes n logs ending at end, newest first in generation
// order (the store sorts them). Gaps are exponential, so traffic clusters,
// and a share of gaps is exactly zero so that several logs share a
// millisecond: the order tie-break (created_at, then id) must be exercised.
func generateHistory(rng *rand.Rand, p profile, n int, end time.Time) []Log {
	logs := make([]Log, 0, n)
	meanGap := float64(historySpan.Milliseconds()) / float64(max(n, 1))
	t := end.Truncate(time.Millisecond)
	var prev *Log
	for i := range n {
		l := generateLog(rng, p, t, prev)
		logs = append(logs, l)
		prev = &logs[len(logs)-1]
		if *l.Step == 1 {
			// Generation runs backwards in time, so the fallback step is
			// the newer log of the pair: give it the step 1. The pair is
			// complete, so the next log may not join it.
			*logs[len(logs)-2].Step, *prev.Step = 1, 0
			prev = nil
		}
		if i%41 == 7 || rng.Float64() < 0.03 {
			continue // same millisecond as the log just made
		}
		t = t.Add(-time.Duration(1+int64(rng.ExpFloat64()*meanGap)) * time.Millisecond)
	}
	return logs
}

// generateLog makes one plausible log at t. prev (may be nil) is the log
// generated just before; a fallback step reuses its event id.
func generateLog(rng *rand.Rand, p profile, t time.Time, prev *Log) Log {
	m := p.pick(rng)
	l := Log{
		ID: newULID(t, rng), CreatedAt: t, Provider: m.provider, Model: m.model, Path: m.path,
		EventID: newUUID(rng), UserAgent: userAgents[rng.IntN(len(userAgents))],
		Authentication: rng.Float64() < p.authRate, Wholesale: rng.Float64() < 0.05,
		DLPAction: "NONE",
	}
	if rng.Float64() > 0.04 { // a few logs predate model_type
		l.ModelType = ptr(m.modelType)
	}
	if m.modelType == "chat" && rng.Float64() < 0.15 {
		l.CompatibilityMode = true
		l.Path = "compat/chat/completions"
	}
	switch x := rng.Float64(); {
	case x < 0.05:
	case x < 0.80:
		l.RequestType = ptr("provider")
	case x < 0.95:
		l.RequestType = ptr("universal")
	default:
		l.RequestType = ptr("websocket")
	}
	step := 0
	if prev != nil && rng.Float64() < 0.03 {
		step, l.EventID = 1, prev.EventID // fallback: second step of prev's event
	}
	l.Step = ptr(step)

	status := pickStatus(rng)
	switch x := rng.Float64(); {
	case x < 0.01:
		l.DLPAction, status = "BLOCK", 403
	case x < 0.04:
		l.DLPAction = "FLAG"
	}
	l.StatusCode = ptr(status)
	l.Success = status < 400
	l.Cached = l.Success && m.modelType != "audio" && rng.Float64() < 0.12

	stream := m.modelType == "chat" && rng.Float64() < 0.35
	setTokens(rng, &l, m)
	setCost(rng, &l, m)
	l.Duration = pickDuration(rng, &l, m, status)
	setContentTypes(rng, &l, m, stream)
	setMetadata(rng, &l)
	switch x := rng.Float64(); {
	case x < 0.08:
		l.Feedback = ptr(1.0)
	case x < 0.12:
		l.Feedback = ptr(-1.0)
	case x < 0.15:
		l.Feedback = ptr(0.0)
	}
	setHeads(rng, &l, m, stream)
	return l
}

func pickStatus(rng *rand.Rand) int {
	switch x := rng.Float64(); {
	case x < 0.91:
		return 200
	case x < 0.93:
		return 400
	case x < 0.94:
		return 401
	case x < 0.965:
		return 429
	case x < 0.98:
		return 500
	case x < 0.99:
		return 502
	case x < 0.995:
		return 503
	default:
		return 504
	}
}

// logNormal draws a positive integer around median, clamped to [lo, hi].
func logNormal(rng *rand.Rand, median float64, lo, hi int) int {
	v := int(median * math.Exp(rng.NormFloat64()*0.9))
	return min(max(v, lo), hi)
}

func setTokens(rng *rand.Rand, l *Log, m modelSpec) {
	if !l.Success && rng.Float64() < 0.85 {
		return // failed calls usually report no usage
	}
	if rng.Float64() < 0.03 {
		return // provider did not report usage
	}
	switch m.modelType {
	case "chat":
		l.TokensIn = ptr(logNormal(rng, 600, 1, 32000))
		l.TokensOut = ptr(logNormal(rng, 220, 1, 8000))
		if !l.Success {
			l.TokensOut = ptr(0)
		}
	case "embedding":
		l.TokensIn = ptr(logNormal(rng, 150, 1, 8000))
		l.TokensOut = ptr(0)
	}
}

func setCost(rng *rand.Rand, l *Log, m modelSpec) {
	switch {
	case l.Cached:
		l.Cost = ptr(0.0) // served from cache: the provider was not paid
		return
	case !l.Success:
		if rng.Float64() < 0.5 {
			l.Cost = ptr(0.0)
		}
		return
	case rng.Float64() < 0.03:
		l.CustomCost, l.Cost = ptr(true), ptr(float64(1+rng.IntN(20))/1000)
		return
	case !m.priced:
		return
	}
	c := m.unitPrice
	if l.TokensIn != nil {
		c += float64(*l.TokensIn) * m.inPrice / 1e6
	}
	if l.TokensOut != nil {
		c += float64(*l.TokensOut) * m.outPrice / 1e6
	}
	if c == 0 && m.unitPrice == 0 {
		return // usage unknown: no cost to compute
	}
	l.Cost = ptr(math.Round(c*1e9) / 1e9)
}

func pickDuration(rng *rand.Rand, l *Log, m modelSpec, status int) int {
	switch {
	case l.Cached:
		return 3 + rng.IntN(60)
	case status == 429:
		return 5 + rng.IntN(80)
	case status == 504:
		return 30000 + rng.IntN(90000)
	case status >= 500:
		return 100 + rng.IntN(8000)
	case status >= 400:
		return 20 + rng.IntN(400)
	}
	switch m.modelType {
	case "chat":
		out := 50
		if l.TokensOut != nil {
			out = *l.TokensOut
		}
		return 250 + out*(8+rng.IntN(18)) + rng.IntN(300)
	case "embedding":
		return 40 + rng.IntN(560)
	case "image":
		return 2500 + rng.IntN(12500)
	default:
		return 800 + rng.IntN(5200)
	}
}

func setContentTypes(rng *rand.Rand, l *Log, m modelSpec, stream bool) {
	req, resp := "application/json", "application/json"
	switch {
	case m.modelType == "audio":
		req = "multipart/form-data"
	case *l.StatusCode == 502 && rng.Float64() < 0.5:
		resp = "text/html" // an origin error page
	case stream && l.Success:
		resp = "text/event-stream"
	case m.modelType == "image" && m.provider == "workers-ai" && l.Success:
		resp = "image/png"
	}
	l.RequestContentType = ptr(req)
	if rng.Float64() > 0.02 {
		l.ResponseContentType = ptr(resp)
	}
}

// setMetadata gives some logs a cf-aig-metadata object. Values are mostly
// strings, sometimes numbers and booleans, because metadata.value filters
// compare stringified values.
func setMetadata(rng *rand.Rand, l *Log) {
	if rng.Float64() > 0.4 {
		return
	}
	md := map[string]any{"user": "u-" + strconv.Itoa(1+rng.IntN(40))}
	if rng.Float64() < 0.8 {
		md["team"] = teams[rng.IntN(len(teams))]
	}
	if rng.Float64() < 0.4 {
		md["env"] = envs[rng.IntN(len(envs))]
	}
	if rng.Float64() < 0.3 {
		md["feature"] = features[rng.IntN(len(features))]
	}
	if rng.Float64() < 0.15 {
		md["attempt"] = 1 + rng.IntN(3)
	}
	if rng.Float64() < 0.1 {
		md["beta"] = rng.IntN(2) == 1
	}
	b, _ := json.Marshal(md) // map keys marshal sorted: deterministic
	l.Metadata = ptr(string(b))
}

// headLimit is how much of a body the log keeps in request_head /
// response_head; longer bodies are cut and flagged incomplete.
const headLimit = 256

func setHeads(rng *rand.Rand, l *Log, m modelSpec, stream bool) {
	prompt := quote(prompts[rng.IntN(len(prompts))])
	model := quote(m.model)
	// Built by hand rather than with json.Marshal of maps: generation runs
	// for thousands of logs on every New, and tests call New a lot.
	var req string
	switch m.modelType {
	case "embedding":
		req = `{"input":` + prompt + `,"model":` + model + `}`
	case "image":
		req = `{"model":` + model + `,"prompt":` + prompt + `}`
	default:
		req = `{"messages":[{"content":` + prompt + `,"role":"user"}],"model":` + model
		if stream {
			req += `,"stream":true`
		}
		req += `}`
	}
	l.RequestBody = req
	l.RequestHead, l.RequestHeadComplete = head(req)
	l.RequestSize = len(req)

	var resp string
	switch {
	case !l.Success:
		resp = `{"error":{"message":"upstream answered ` + strconv.Itoa(*l.StatusCode) + `","type":"api_error"}}`
	case stream:
		resp = "data: " + `{"choices":[{"delta":{"content":` + quote(answers[rng.IntN(len(answers))]) + `}}]}` + "\n\ndata: [DONE]\n\n"
	case m.modelType == "embedding":
		resp = `{"object":"list","data":[{"object":"embedding","index":0,"embedding":[` + strings.Repeat("0.0123,", 60) + `0.5]}]` + usage(l) + `}`
	default:
		resp = `{"id":"msg-` + strconv.Itoa(rng.IntN(1e6)) + `","choices":[{"message":{"role":"assistant","content":` + quote(answers[rng.IntN(len(answers))]) + `}}]` + usage(l) + `}`
		if m.provider == "workers-ai" {
			// Workers AI answers in Cloudflare's own envelope: stored as
			// is, it must be given back as is.
			resp = `{"result":` + resp + `,"success":true,"errors":[],"messages":[]}`
		}
	}
	l.ResponseBody = resp
	l.ResponseHead, l.ResponseHeadComplete = head(resp)
	l.ResponseSize = len(resp)
	if !payloadCollected(l.ID) {
		// The request carried cf-aig-collect-log-payload: false: the log
		// is kept, its bodies are not.
		l.RequestBody, l.ResponseBody = "", ""
		l.RequestHead, l.ResponseHead = "", ""
		l.RequestHeadComplete, l.ResponseHeadComplete = true, true
		l.RequestSize, l.ResponseSize = 0, 0
	}
}

// payloadCollected tells, from its id and without drawing on the data
// set's random source (so that every other value stays as it was), whether
// a log's bodies were stored: about one log in twenty was sent without.
func payloadCollected(id string) bool {
	sum := 0
	for i := 0; i < len(id); i++ {
		sum += int(id[i])
	}
	return sum%20 != 0
}

// usage is the `,"usage":{…}` member of a response body, from the log's
// token counts; empty when the provider reported none.
func usage(l *Log) string {
	if l.TokensIn == nil && l.TokensOut == nil {
		return ""
	}
	in, out := 0, 0
	if l.TokensIn != nil {
		in = *l.TokensIn
	}
	if l.TokensOut != nil {
		out = *l.TokensOut
	}
	return `,"usage":{"completion_tokens":` + strconv.Itoa(out) + `,"prompt_tokens":` + strconv.Itoa(in) +
		`,"total_tokens":` + strconv.Itoa(in+out) + `}`
}

func head(s string) (string, bool) {
	if len(s) <= headLimit {
		return s, true
	}
	return s[:headLimit], false
}

func quote(s string) string { b, _ := json.Marshal(s); return string(b) }
