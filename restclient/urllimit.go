package restclient

// MaxURLBytes bounds the URL of an upstream request; a longer one is refused
// before it is sent. Search and filter values travel in the query string,
// and 8 KiB is where servers and proxies commonly stop accepting a request
// line (nginx's default large_client_header_buffers); no sensible query
// needs more.
const MaxURLBytes = 8 << 10

func checkURLLength(target string) error {
	if len(target) > MaxURLBytes {
		return invalid("query", "the upstream URL would be %d bytes, over the limit of %d bytes: use fewer or shorter search and filter values", len(target), MaxURLBytes)
	}
	return nil
}
