package restclient

import (
	"bytes"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"unicode/utf8"
)

// FilterKey is a field List Gateway Logs can filter on.
type FilterKey string

// The 24 filter keys of the spec, in the spec's order.
const (
	KeyID                  FilterKey = "id"
	KeyCreatedAt           FilterKey = "created_at"
	KeyRequestContentType  FilterKey = "request_content_type"
	KeyResponseContentType FilterKey = "response_content_type"
	KeyRequestType         FilterKey = "request_type"
	KeySuccess             FilterKey = "success"
	KeyCached              FilterKey = "cached"
	KeyProvider            FilterKey = "provider"
	KeyModel               FilterKey = "model"
	KeyModelType           FilterKey = "model_type"
	KeyCost                FilterKey = "cost"
	KeyTokens              FilterKey = "tokens"
	KeyTokensIn            FilterKey = "tokens_in"
	KeyTokensOut           FilterKey = "tokens_out"
	KeyDuration            FilterKey = "duration"
	KeyFeedback            FilterKey = "feedback"
	KeyEventID             FilterKey = "event_id"
	KeyMetadataKey         FilterKey = "metadata.key"
	KeyMetadataValue       FilterKey = "metadata.value"
	KeyAuthentication      FilterKey = "authentication"
	KeyWholesale           FilterKey = "wholesale"
	KeyCompatibilityMode   FilterKey = "compatibilityMode"
	KeyDLPAction           FilterKey = "dlp_action"
	KeyUserAgent           FilterKey = "user_agent"
)

var filterKeys = []FilterKey{
	KeyID, KeyCreatedAt, KeyRequestContentType, KeyResponseContentType, KeyRequestType,
	KeySuccess, KeyCached, KeyProvider, KeyModel, KeyModelType, KeyCost, KeyTokens,
	KeyTokensIn, KeyTokensOut, KeyDuration, KeyFeedback, KeyEventID, KeyMetadataKey,
	KeyMetadataValue, KeyAuthentication, KeyWholesale, KeyCompatibilityMode, KeyDLPAction,
	KeyUserAgent,
}

// FilterKeys returns all valid filter keys in the spec's order (a fresh slice).
func FilterKeys() []FilterKey { return append([]FilterKey(nil), filterKeys...) }

// Valid reports whether k is one of the 24 keys.
func (k FilterKey) Valid() bool {
	for _, v := range filterKeys {
		if k == v {
			return true
		}
	}
	return false
}

// Operator compares a log field with the filter's values.
type Operator string

// Operators of the spec. Undocumented upstream, assumed: eq with several
// values means "any of", neq "none of"; lt/gt take exactly one value.
const (
	OpEq       Operator = "eq"
	OpNeq      Operator = "neq"
	OpContains Operator = "contains"
	OpLt       Operator = "lt"
	OpGt       Operator = "gt"
)

// Valid reports whether o is one of the five operators.
func (o Operator) Valid() bool {
	switch o {
	case OpEq, OpNeq, OpContains, OpLt, OpGt:
		return true
	}
	return false
}

// Filter is one condition; filters combine with AND (the upstream has no OR).
// Each value must be a string, bool, int, int64, float64 (finite),
// json.Number or nil. nil travels as JSON null, which the spec allows
// (value items are nullable strings): with eq it asks for logs whose field
// has no value, with neq for those whose field has one; it is refused with
// the other operators, which cannot compare with nothing.
type Filter struct {
	Key      FilterKey
	Operator Operator
	Values   []any
}

// EncodeFilters is the one place that knows how filters travel: a compact
// JSON array [{"key":…,"operator":…,"value":[…]}] sent as the single query
// parameter `filters`. The official SDKs' dotted form (filters.key=…) is
// silently ignored by the live API (docs/upstream.md), so it is never produced.
// No filters encode to "".
func EncodeFilters(fs []Filter) (string, error) {
	if len(fs) == 0 {
		return "", nil
	}
	var buf bytes.Buffer
	buf.WriteByte('[')
	for i, f := range fs {
		field := fmt.Sprintf("filters[%d]", i)
		if !f.Key.Valid() {
			return "", invalid(field+".key", "unknown filter key %q", string(f.Key))
		}
		if !f.Operator.Valid() {
			return "", invalid(field+".operator", "unknown operator %q (want eq, neq, contains, lt or gt)", string(f.Operator))
		}
		if len(f.Values) == 0 {
			return "", invalid(field+".value", "at least one value is required")
		}
		if (f.Operator == OpLt || f.Operator == OpGt) && len(f.Values) != 1 {
			return "", invalid(field+".value", "operator %s takes exactly one value, got %d", f.Operator, len(f.Values))
		}
		if f.Operator != OpEq && f.Operator != OpNeq {
			for j, v := range f.Values {
				if v == nil {
					return "", invalid(fmt.Sprintf("%s.value[%d]", field, j), "null is only meaningful with eq and neq, not %s", f.Operator)
				}
			}
		}
		if i > 0 {
			buf.WriteByte(',')
		}
		buf.WriteString(`{"key":`)
		writeJSONString(&buf, string(f.Key))
		buf.WriteString(`,"operator":`)
		writeJSONString(&buf, string(f.Operator))
		buf.WriteString(`,"value":[`)
		for j, v := range f.Values {
			if j > 0 {
				buf.WriteByte(',')
			}
			if err := writeFilterValue(&buf, v); err != nil {
				return "", invalid(fmt.Sprintf("%s.value[%d]", field, j), "%s", err.Error())
			}
		}
		buf.WriteString("]}")
	}
	buf.WriteByte(']')
	return buf.String(), nil
}

func writeFilterValue(buf *bytes.Buffer, v any) error {
	switch v := v.(type) {
	case string:
		// encoding/json would silently turn invalid UTF-8 into U+FFFD and so
		// filter on a value the caller never asked for.
		if !utf8.ValidString(v) {
			return fmt.Errorf("string is not valid UTF-8")
		}
		writeJSONString(buf, v)
	case bool:
		buf.WriteString(strconv.FormatBool(v))
	case int:
		buf.WriteString(strconv.Itoa(v))
	case int64:
		buf.WriteString(strconv.FormatInt(v, 10))
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return fmt.Errorf("NaN and infinities cannot be sent")
		}
		b, err := json.Marshal(v) // shortest round-tripping form, as JSON expects
		if err != nil {
			return err
		}
		buf.Write(b)
	case json.Number:
		if !isJSONNumber(string(v)) {
			return fmt.Errorf("json.Number %q is not a JSON number", string(v))
		}
		if f, err := strconv.ParseFloat(string(v), 64); err != nil || math.IsInf(f, 0) {
			return fmt.Errorf("json.Number %q is out of range", string(v))
		}
		buf.WriteString(string(v))
	case nil:
		buf.WriteString("null")
	default:
		return fmt.Errorf("unsupported value type %T (want string, bool, int, int64, float64 or json.Number)", v)
	}
	return nil
}

// writeJSONString writes s as a JSON string without HTML escaping, so that
// the pinned wire form stays readable (<, >, & are legal in JSON strings).
func writeJSONString(buf *bytes.Buffer, s string) {
	enc := json.NewEncoder(buf)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s) // a string always encodes
	buf.Truncate(buf.Len() - 1)
}

// isJSONNumber reports whether s is exactly one JSON number (RFC 8259 §6).
// encoding/json checks the grammar; the ends make sure the text is a number
// and nothing else: a JSON text that starts with '-' or a digit can only be
// a number, and one that ends with a digit has no white space after it.
func isJSONNumber(s string) bool {
	return s != "" && (s[0] == '-' || isDigit(s[0])) && isDigit(s[len(s)-1]) && json.Valid([]byte(s))
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
