package graph

import "fmt"

// maxValueBytes bounds one string a client sends on to the upstream: a
// search text or a filter value. Each lands in the upstream URL (itself
// bounded by restclient.MaxURLBytes); ids, provider and model names,
// metadata keys and values and user agents are far shorter, and 1 KiB
// leaves room for a long user agent.
const maxValueBytes = 1 << 10

const tooLong = "%s is %d bytes; the limit is %d bytes"

// checkValue refuses a value over maxValueBytes, naming where it was sent.
func checkValue(where, v string) error {
	if len(v) > maxValueBytes {
		return badInput(fmt.Sprintf(tooLong, where, len(v), maxValueBytes))
	}
	return nil
}

// checkSearch applies checkValue to an optional search argument.
func checkSearch(search *string) error {
	if search == nil {
		return nil
	}
	return checkValue("search", *search)
}
