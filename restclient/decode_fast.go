package restclient

import (
	"bytes"
	"encoding/json"
	"strconv"
	"unicode"
	"unicode/utf16"
	"unicode/utf8"
)

// decodeListLogsFast decodes a List Gateway Logs 2xx body in one pass, with
// no reflection and a handful of allocations per page, where the general
// path (parseSuccess + decodeEnvelope: encoding/json over the envelope, then
// again over result, a custom UnmarshalJSON per integer and a nested
// json.Unmarshal per metadata) takes about thirty per log.
//
// It only ever says yes to what the general path accepts, with the very
// same page: it validates the whole text as JSON, applies the same rules
// (flexIntValue, parseCreatedAt, metadata compaction, null handling) and
// declines (ok false) everything it does not handle exactly as
// encoding/json would — a success other than true, a key that differs from
// a known one only in case or is escaped or not ASCII, a repeated key, a
// number where encoding/json would refuse it, any invalid value. The caller
// then runs the general path, which decides the answer or the error.
// FuzzFastDecodeAgrees holds the two to that.
func decodeListLogsFast(body []byte) (LogPage, bool) {
	d := fastDec{b: body}
	page, ok := d.page()
	if !ok {
		return LogPage{}, false
	}
	return page, true
}

// fastDec reads one JSON text. s is the body as one string: string values
// that need no unescaping are substrings of it, so a page costs one copy of
// its body instead of an allocation per string.
type fastDec struct {
	b []byte
	s string
	i int

	extras  []logExtras // slab for the pointer fields of the logs
	nLogs   int         // expected number of logs (sizes Logs and the slab)
	scratch []byte      // reused by unquoteBytes
}

// logExtras holds what Log's pointer fields point to, one per log, carved
// out of one slab per page.
type logExtras struct {
	modelType, requestType, reqCT, respCT, metadata string
	tokensIn, tokensOut, statusCode, step           int
	cost                                            float64
	customCost                                      bool
}

// The members each object of the page is known to have; a key that equals
// one of them but for case makes the fast path decline (encoding/json would
// match it case-insensitively).
var (
	envelopeKeys = []string{"success", "errors", "result", "result_info"}
	logKeys      = []string{"id", "created_at", "provider", "model", "path", "duration", "success", "cached",
		"tokens_in", "tokens_out", "cost", "custom_cost", "metadata", "model_type", "request_type",
		"request_content_type", "response_content_type", "status_code", "step"}
	infoKeys = []string{"count", "page", "per_page", "total_count", "min_cost", "max_cost",
		"min_duration", "max_duration", "min_tokens_in", "max_tokens_in", "min_tokens_out",
		"max_tokens_out", "min_total_tokens", "max_total_tokens"}
)

var objectStart = []byte(`{"`)

func (d *fastDec) page() (LogPage, bool) {
	d.ws()
	if !d.eat('{') {
		return LogPage{}, false
	}
	// An estimate of the number of logs sizes the allocations once: objects
	// that start with a key (escaped JSON inside strings reads {\", not {").
	// It is only an estimate: Logs and the slab grow if it is short. Capped
	// at a full page, so that a body of many small objects elsewhere cannot
	// make it allocate more than a page needs.
	if d.nLogs = bytes.Count(d.b, objectStart); d.nLogs == 0 {
		d.nLogs = bytes.Count(d.b, objectStart[:1])
	}
	d.nLogs = min(d.nLogs, MaxPerPage)
	d.s = string(d.b)

	var (
		seen    uint
		logs    []Log
		info    ResultInfo
		success bool
	)
	ok := d.members(func(key []byte) bool {
		switch string(key) {
		case "success":
			if !once(&seen, 0) || !d.lit("true") {
				return false
			}
			success = true
			return true
		case "errors":
			return once(&seen, 1) && d.skip(0)
		case "result":
			if !once(&seen, 2) {
				return false
			}
			var ok bool
			logs, ok = d.logs()
			return ok
		case "result_info":
			if !once(&seen, 3) {
				return false
			}
			var ok bool
			info, ok = d.info()
			return ok
		}
		return !foldsToAny(key, envelopeKeys) && d.skip(0)
	})
	if !ok || !success || seen&(1<<3) == 0 {
		return LogPage{}, false
	}
	if d.ws(); d.i != len(d.b) {
		return LogPage{}, false
	}
	if logs == nil {
		logs = []Log{}
	}
	return LogPage{Logs: logs, Info: info}, true
}

// once marks member bit as seen, and refuses a repeat (encoding/json would
// let the last one win; the general path deals with that).
func once(seen *uint, bit uint) bool {
	if *seen&(1<<bit) != 0 {
		return false
	}
	*seen |= 1 << bit
	return true
}

// members reads an object's members after its '{', calling member with
// each key once the reader stands on the value. Keys must be plain ASCII
// without escapes, else the fast path declines.
func (d *fastDec) members(member func(key []byte) bool) bool {
	if d.ws(); d.eat('}') {
		return true
	}
	for {
		d.ws()
		key, ok := d.key()
		if !ok {
			return false
		}
		if d.ws(); !d.eat(':') {
			return false
		}
		if d.ws(); !member(key) {
			return false
		}
		d.ws()
		if d.eat(',') {
			continue
		}
		return d.eat('}')
	}
}

func (d *fastDec) logs() ([]Log, bool) {
	if d.lit("null") {
		return nil, true
	}
	if !d.eat('[') {
		return nil, false
	}
	logs := make([]Log, 0, d.nLogs)
	if d.ws(); d.eat(']') {
		return logs, true
	}
	for {
		// A null or non-object entry is an error of the general path.
		if d.ws(); !d.eat('{') {
			return nil, false
		}
		logs = append(logs, Log{})
		if !d.log(&logs[len(logs)-1]) {
			return nil, false
		}
		d.ws()
		if d.eat(',') {
			continue
		}
		return logs, d.eat(']')
	}
}

func (d *fastDec) newExtras() *logExtras {
	if len(d.extras) == 0 {
		d.extras = make([]logExtras, max(d.nLogs, 8))
	}
	x := &d.extras[0]
	d.extras = d.extras[1:]
	return x
}

// log reads one log after its '{' into l, with wireLog's rules and toLog's
// checks.
func (d *fastDec) log(l *Log) bool {
	x := d.newExtras()
	var (
		seen            uint
		id, createdAt   string
		hasID, hasCreat bool
	)
	ok := d.members(func(key []byte) bool {
		switch string(key) {
		case "id":
			return once(&seen, 0) && d.optString(&id, &hasID)
		case "created_at":
			return once(&seen, 1) && d.optString(&createdAt, &hasCreat)
		case "provider":
			return once(&seen, 2) && d.plainString(&l.Provider)
		case "model":
			return once(&seen, 3) && d.plainString(&l.Model)
		case "path":
			return once(&seen, 4) && d.plainString(&l.Path)
		case "duration":
			return once(&seen, 5) && d.plainInt(&l.Duration)
		case "success":
			return once(&seen, 6) && d.plainBool(&l.Success)
		case "cached":
			return once(&seen, 7) && d.plainBool(&l.Cached)
		case "tokens_in":
			return once(&seen, 8) && d.ptrInt(&l.TokensIn, &x.tokensIn)
		case "tokens_out":
			return once(&seen, 9) && d.ptrInt(&l.TokensOut, &x.tokensOut)
		case "cost":
			return once(&seen, 10) && d.ptrFloat(&l.Cost, &x.cost)
		case "custom_cost":
			return once(&seen, 11) && d.ptrBool(&l.CustomCost, &x.customCost)
		case "metadata":
			return once(&seen, 12) && d.metadata(&l.Metadata, &x.metadata)
		case "model_type":
			return once(&seen, 13) && d.ptrString(&l.ModelType, &x.modelType)
		case "request_type":
			return once(&seen, 14) && d.ptrString(&l.RequestType, &x.requestType)
		case "request_content_type":
			return once(&seen, 15) && d.ptrString(&l.RequestContentType, &x.reqCT)
		case "response_content_type":
			return once(&seen, 16) && d.ptrString(&l.ResponseContentType, &x.respCT)
		case "status_code":
			return once(&seen, 17) && d.ptrInt(&l.StatusCode, &x.statusCode)
		case "step":
			return once(&seen, 18) && d.ptrInt(&l.Step, &x.step)
		}
		return !foldsToAny(key, logKeys) && d.skip(0)
	})
	if !ok || !hasID || id == "" || !hasCreat {
		return false
	}
	t, err := parseCreatedAt(createdAt)
	if err != nil {
		return false
	}
	l.ID, l.CreatedAt = id, t
	return true
}

// info reads result_info with wireResultInfo's rules and decodeResultInfo's
// checks; null or absent is the general path's error.
func (d *fastDec) info() (ResultInfo, bool) {
	var info ResultInfo
	if !d.eat('{') {
		return info, false
	}
	var (
		seen uint
		figs *[10]float64 // the min/max figures, allocated once if any
	)
	fig := func(bit uint, dst **float64, k int) bool {
		if !once(&seen, bit) {
			return false
		}
		if figs == nil {
			figs = new([10]float64)
		}
		return d.ptrFloat(dst, &figs[k])
	}
	ok := d.members(func(key []byte) bool {
		switch string(key) {
		case "count":
			return once(&seen, 0) && d.plainInt(&info.Count)
		case "page":
			return once(&seen, 1) && d.plainInt(&info.Page)
		case "per_page":
			return once(&seen, 2) && d.plainInt(&info.PerPage)
		case "total_count":
			return once(&seen, 3) && d.plainInt(&info.TotalCount)
		case "min_cost":
			return fig(4, &info.MinCost, 0)
		case "max_cost":
			return fig(5, &info.MaxCost, 1)
		case "min_duration":
			return fig(6, &info.MinDuration, 2)
		case "max_duration":
			return fig(7, &info.MaxDuration, 3)
		case "min_tokens_in":
			return fig(8, &info.MinTokensIn, 4)
		case "max_tokens_in":
			return fig(9, &info.MaxTokensIn, 5)
		case "min_tokens_out":
			return fig(10, &info.MinTokensOut, 6)
		case "max_tokens_out":
			return fig(11, &info.MaxTokensOut, 7)
		case "min_total_tokens":
			return fig(12, &info.MinTotalTokens, 8)
		case "max_total_tokens":
			return fig(13, &info.MaxTotalTokens, 9)
		}
		return !foldsToAny(key, infoKeys) && d.skip(0)
	})
	if !ok || info.Count < 0 || info.Page < 0 || info.PerPage < 0 || info.TotalCount < 0 {
		return info, false
	}
	return info, true
}

// Typed members. Each mirrors what encoding/json does for the wire type:
// null leaves a plain field as it is and sets a pointer to nil (pointers
// start nil and keys never repeat here, so null is nothing to do); any
// other JSON type than the field's is an error, so the fast path declines.

// optString is *string whose presence matters (id, created_at).
func (d *fastDec) optString(dst *string, present *bool) bool {
	if d.lit("null") {
		return true
	}
	s, ok := d.str()
	*dst, *present = s, ok
	return ok
}

func (d *fastDec) plainString(dst *string) bool {
	if d.lit("null") {
		return true
	}
	s, ok := d.str()
	*dst = s
	return ok
}

func (d *fastDec) ptrString(dst **string, slot *string) bool {
	if d.lit("null") {
		return true
	}
	s, ok := d.str()
	*slot, *dst = s, slot
	return ok
}

func (d *fastDec) plainBool(dst *bool) bool {
	switch {
	case d.lit("true"):
		*dst = true
	case d.lit("false"):
		*dst = false
	default:
		return d.lit("null")
	}
	return true
}

func (d *fastDec) ptrBool(dst **bool, slot *bool) bool {
	switch {
	case d.lit("true"):
		*slot = true
	case d.lit("false"):
		*slot = false
	default:
		return d.lit("null")
	}
	*dst = slot
	return true
}

// plainInt is flexInt.
func (d *fastDec) plainInt(dst *int) bool {
	if d.lit("null") {
		return true
	}
	n, ok := d.num()
	if !ok {
		return false
	}
	v, ok := flexIntValue(n)
	*dst = v
	return ok
}

// ptrInt is *flexInt: null leaves dst nil, a number lands in slot.
func (d *fastDec) ptrInt(dst **int, slot *int) bool {
	if d.lit("null") {
		return true
	}
	*dst = slot
	return d.plainInt(slot)
}

// ptrFloat is *float64: encoding/json parses the literal with ParseFloat
// and refuses what it cannot represent.
func (d *fastDec) ptrFloat(dst **float64, slot *float64) bool {
	if d.lit("null") {
		return true
	}
	n, ok := d.num()
	if !ok {
		return false
	}
	f, err := strconv.ParseFloat(n, 64)
	*slot, *dst = f, slot
	return err == nil
}

// metadata is metadataField: a string is kept as it is, an object or an
// array as its compact text.
func (d *fastDec) metadata(dst **string, slot *string) bool {
	if d.lit("null") {
		return true
	}
	if d.i < len(d.b) && (d.b[d.i] == '{' || d.b[d.i] == '[') {
		start := d.i
		if !d.skip(0) {
			return false
		}
		var buf bytes.Buffer
		if json.Compact(&buf, d.b[start:d.i]) != nil {
			return false
		}
		*slot, *dst = buf.String(), slot
		return true
	}
	return d.ptrString(dst, slot)
}

// Lexical level: JSON as encoding/json's scanner defines it.

func (d *fastDec) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

func (d *fastDec) eat(c byte) bool {
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// lit consumes the literal if it is next. What follows it is checked by the
// caller (a delimiter must come), so "nullx" is still refused.
func (d *fastDec) lit(s string) bool {
	if len(d.b)-d.i >= len(s) && string(d.b[d.i:d.i+len(s)]) == s {
		d.i += len(s)
		return true
	}
	return false
}

// key reads an object key that needs no unescaping and is ASCII.
func (d *fastDec) key() ([]byte, bool) {
	if !d.eat('"') {
		return nil, false
	}
	start := d.i
	for i := start; i < len(d.b); i++ {
		if plainByte[d.b[i]] {
			continue
		}
		switch c := d.b[i]; {
		case c == '"':
			d.i = i + 1
			return d.b[start:i], true
		case c == '\\' || c < 0x20 || c >= utf8.RuneSelf:
			return nil, false
		}
	}
	return nil, false
}

// str reads a string value and returns it as encoding/json would decode it.
func (d *fastDec) str() (string, bool) {
	start, end, plain, ok := d.scanString()
	if !ok {
		return "", false
	}
	if plain {
		return d.s[start:end], true
	}
	t, ok := unquoteBytes(d.b[start:end], d.scratch)
	if !ok {
		return "", false
	}
	if len(t) == end-start && (len(t) == 0 || &t[0] == &d.b[start]) {
		return d.s[start:end], true // valid UTF-8, nothing to unescape
	}
	d.scratch = t[:0]
	return string(t), true
}

// scanString validates a string token at d.i and moves past it; start:end
// is its content. plain reports pure ASCII without escapes.
func (d *fastDec) scanString() (start, end int, plain, ok bool) {
	if !d.eat('"') {
		return 0, 0, false, false
	}
	start, plain = d.i, true
	b := d.b
	for i := start; i < len(b); {
		// Most bytes are plain ASCII: pass over them in a tight loop.
		for i+4 <= len(b) && plainByte[b[i]] && plainByte[b[i+1]] && plainByte[b[i+2]] && plainByte[b[i+3]] {
			i += 4
		}
		for i < len(b) && plainByte[b[i]] {
			i++
		}
		if i >= len(b) {
			break
		}
		c := b[i]
		switch {
		case c == '"':
			d.i = i + 1
			return start, i, plain, true
		case c < 0x20:
			return 0, 0, false, false
		case c == '\\':
			plain = false
			if i+1 >= len(b) {
				return 0, 0, false, false
			}
			switch b[i+1] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				i += 2
			case 'u':
				if i+6 > len(b) || !isHex(b[i+2]) || !isHex(b[i+3]) || !isHex(b[i+4]) || !isHex(b[i+5]) {
					return 0, 0, false, false
				}
				i += 6
			default:
				return 0, 0, false, false
			}
		case c >= utf8.RuneSelf:
			plain = false
			i++
		default:
			i++
		}
	}
	return 0, 0, false, false
}

// plainByte marks the bytes a string holds as they are: ASCII, neither a
// control character nor '"' or '\\'.
var plainByte = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// num reads a number token (JSON's grammar) and returns its text.
func (d *fastDec) num() (string, bool) {
	b, i := d.b, d.i
	if i < len(b) && b[i] == '-' {
		i++
	}
	switch {
	case i < len(b) && b[i] == '0':
		i++
	case i < len(b) && '1' <= b[i] && b[i] <= '9':
		for i++; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
		}
	default:
		return "", false
	}
	if i < len(b) && b[i] == '.' {
		i++
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return "", false
		}
		for ; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
		}
	}
	if i < len(b) && (b[i] == 'e' || b[i] == 'E') {
		i++
		if i < len(b) && (b[i] == '+' || b[i] == '-') {
			i++
		}
		if i >= len(b) || b[i] < '0' || b[i] > '9' {
			return "", false
		}
		for ; i < len(b) && '0' <= b[i] && b[i] <= '9'; i++ {
		}
	}
	s := d.s[d.i:i]
	d.i = i
	return s, true
}

// maxSkipDepth bounds the nesting of skipped values; deeper ones go the
// general way (encoding/json allows 10000).
const maxSkipDepth = 256

// skip validates and passes over any one value.
func (d *fastDec) skip(depth int) bool {
	if depth > maxSkipDepth || d.i >= len(d.b) {
		return false
	}
	switch d.b[d.i] {
	case '{':
		d.i++
		if d.ws(); d.eat('}') {
			return true
		}
		for {
			d.ws()
			if _, _, _, ok := d.scanString(); !ok {
				return false
			}
			if d.ws(); !d.eat(':') {
				return false
			}
			if d.ws(); !d.skip(depth + 1) {
				return false
			}
			d.ws()
			if d.eat(',') {
				continue
			}
			return d.eat('}')
		}
	case '[':
		d.i++
		if d.ws(); d.eat(']') {
			return true
		}
		for {
			if d.ws(); !d.skip(depth + 1) {
				return false
			}
			d.ws()
			if d.eat(',') {
				continue
			}
			return d.eat(']')
		}
	case '"':
		_, _, _, ok := d.scanString()
		return ok
	case 't':
		return d.lit("true")
	case 'f':
		return d.lit("false")
	case 'n':
		return d.lit("null")
	}
	_, ok := d.num()
	return ok
}

// foldsToAny reports whether the ASCII key equals one of names but for
// case: encoding/json would bind it to that field.
func foldsToAny(key []byte, names []string) bool {
	for _, n := range names {
		if len(n) == len(key) && asciiEqualFold(key, n) {
			return true
		}
	}
	return false
}

func asciiEqualFold(a []byte, b string) bool {
	for i := range a {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// unquoteBytes is encoding/json's (decode.go), for the content of a string
// token that scanString has validated: escapes resolved, invalid UTF-8 and
// lone surrogates replaced by U+FFFD. When nothing needs changing it returns
// s itself; else the result is written into scratch when it is big enough.
func unquoteBytes(s, scratch []byte) (t []byte, ok bool) {
	r := 0
	for r < len(s) {
		c := s[r]
		if c == '\\' || c == '"' || c < ' ' {
			break
		}
		rr, size := utf8.DecodeRune(s[r:])
		if rr == utf8.RuneError && size == 1 {
			break
		}
		r += size
	}
	if r == len(s) {
		return s, true
	}

	b := scratch[:cap(scratch)]
	if len(b) < len(s)+2*utf8.UTFMax {
		b = make([]byte, len(s)+2*utf8.UTFMax)
	}
	w := copy(b, s[0:r])
	for r < len(s) {
		// Out of room? Can only happen if s is full of
		// malformed UTF-8 and we're replacing each
		// byte with RuneError.
		if w >= len(b)-2*utf8.UTFMax {
			nb := make([]byte, (len(b)+utf8.UTFMax)*2)
			copy(nb, b[0:w])
			b = nb
		}
		switch c := s[r]; {
		case c == '\\':
			r++
			if r >= len(s) {
				return
			}
			switch s[r] {
			default:
				return
			case '"', '\\', '/', '\'':
				b[w] = s[r]
				r++
				w++
			case 'b':
				b[w] = '\b'
				r++
				w++
			case 'f':
				b[w] = '\f'
				r++
				w++
			case 'n':
				b[w] = '\n'
				r++
				w++
			case 'r':
				b[w] = '\r'
				r++
				w++
			case 't':
				b[w] = '\t'
				r++
				w++
			case 'u':
				r--
				rr := getu4(s[r:])
				if rr < 0 {
					return
				}
				r += 6
				if utf16.IsSurrogate(rr) {
					rr1 := getu4(s[r:])
					if dec := utf16.DecodeRune(rr, rr1); dec != unicode.ReplacementChar {
						// A valid pair; consume.
						r += 6
						w += utf8.EncodeRune(b[w:], dec)
						break
					}
					// Invalid surrogate; fall back to replacement rune.
					rr = unicode.ReplacementChar
				}
				w += utf8.EncodeRune(b[w:], rr)
			}

		// Quote, control characters are invalid.
		case c == '"', c < ' ':
			return

		// ASCII
		case c < utf8.RuneSelf:
			b[w] = c
			r++
			w++

		// Coerce to well-formed UTF-8.
		default:
			rr, size := utf8.DecodeRune(s[r:])
			r += size
			w += utf8.EncodeRune(b[w:], rr)
		}
	}
	return b[0:w], true
}

// getu4 decodes \uXXXX from the beginning of s, returning the hex value,
// or it returns -1.
func getu4(s []byte) rune {
	if len(s) < 6 || s[0] != '\\' || s[1] != 'u' {
		return -1
	}
	var r rune
	for _, c := range s[2:6] {
		switch {
		case '0' <= c && c <= '9':
			c = c - '0'
		case 'a' <= c && c <= 'f':
			c = c - 'a' + 10
		case 'A' <= c && c <= 'F':
			c = c - 'A' + 10
		default:
			return -1
		}
		r = r*16 + rune(c)
	}
	return r
}
