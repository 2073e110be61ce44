package restclient

import (
	"net/url"
	"strconv"
	"unicode/utf8"
)

// setPaging adds page and per_page (zero means omitted: the upstream's
// default), checking them against the endpoint's largest page.
func setPaging(v url.Values, page, perPage, maxPerPage int) error {
	switch {
	case page < 0:
		return invalid("page", "must be ≥ 1, got %d", page)
	case page > 0:
		v.Set("page", strconv.Itoa(page))
	}
	switch {
	case perPage < 0 || perPage > maxPerPage:
		return invalid("per_page", "must be 1..%d, got %d", maxPerPage, perPage)
	case perPage > 0:
		v.Set("per_page", strconv.Itoa(perPage))
	}
	return nil
}

// setSearch adds search unless it is empty.
func setSearch(v url.Values, search string) error {
	if search == "" {
		return nil
	}
	if !utf8.ValidString(search) {
		return invalid("search", "is not valid UTF-8")
	}
	v.Set("search", search)
	return nil
}
