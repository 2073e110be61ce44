package graph

import (
	"encoding/json"
	"errors"
	"io"
	"strings"

	"github.com/99designs/gqlgen/graphql"
)

// errNotObject: the body is JSON, but not a request object.
var errNotObject = errors.New("the request body must be a JSON object")

// requestShapeError is a body that decodes but must still be refused: a
// member given twice, or data after the object. encoding/json alone would
// take the last duplicate and ignore what follows the object, so a proxy or
// firewall in front of us could inspect one query while we ran another.
type requestShapeError struct{ msg string }

func (e *requestShapeError) Error() string { return e.msg }

// decodeParams reads one GraphQL request object into params, refusing
// duplicate members and trailing data. It walks the top level with Token
// and decodes each member's value in place, so the body is read once;
// unknown members are skipped as encoding/json would. Member names match
// case-insensitively, as encoding/json matches them.
func decodeParams(body io.Reader, params *graphql.RawParams) error {
	dec := json.NewDecoder(body)
	dec.UseNumber()
	if tok, err := dec.Token(); err != nil {
		return err
	} else if d, ok := tok.(json.Delim); !ok || d != '{' {
		return errNotObject
	}
	var seen [4]bool
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			return err
		}
		name, _ := tok.(string) // inside an object, Token yields member names
		i, dst := paramsMember(params, name)
		if i < 0 {
			var skip json.RawMessage
			if err := dec.Decode(&skip); err != nil {
				return err
			}
			continue
		}
		if seen[i] {
			return &requestShapeError{"the request body has more than one " + name + " member"}
		}
		seen[i] = true
		if err := dec.Decode(dst); err != nil {
			return err
		}
	}
	if _, err := dec.Token(); err != nil { // the closing brace
		return err
	}
	switch _, err := dec.Token(); {
	case err == io.EOF:
		return nil
	case err == nil || errors.As(err, new(*json.SyntaxError)):
		return &requestShapeError{"the request body has data after its JSON object"}
	default:
		return err // a read error: too large, timed out, cut short
	}
}

// paramsMember maps a member name to its index and destination, or -1.
func paramsMember(p *graphql.RawParams, name string) (int, any) {
	switch {
	case strings.EqualFold(name, "query"):
		return 0, &p.Query
	case strings.EqualFold(name, "operationName"):
		return 1, &p.OperationName
	case strings.EqualFold(name, "variables"):
		return 2, &p.Variables
	case strings.EqualFold(name, "extensions"):
		return 3, &p.Extensions
	}
	return -1, nil
}
