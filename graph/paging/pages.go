package paging

import "github.com/aigw/gqlfacade/restclient"

// Page is one upstream page: page number (1-based) and per_page.
type Page struct{ Number, Size int }

// Offset is the position of the page's first item.
func (p Page) Offset() int { return (p.Number - 1) * p.Size }

// PlanPages chooses the upstream pages that cover positions [start, end)
// with the fewest calls, then the fewest items transferred. Choosing the
// page size, not just the page, is what lets any window of up to 50 items
// that fits in some page cost one call: positions 45–54 are page 5 of 11
// (positions 44–54), not pages 1 and 2 of 50.
func PlanPages(start, end int) []Page { return PlanPagesUpTo(start, end, restclient.MaxPerPage) }

// PlanPagesUpTo is PlanPages for an endpoint whose pages hold at most
// maxPerPage items (List Gateways allows 100).
func PlanPagesUpTo(start, end, maxPerPage int) []Page {
	if end <= start {
		return nil
	}
	bestSize, bestCalls, bestItems := 0, 0, 0
	for size := 1; size <= maxPerPage; size++ {
		calls := (end-1)/size - start/size + 1
		items := calls * size
		if bestSize == 0 || calls < bestCalls || (calls == bestCalls && items < bestItems) {
			bestSize, bestCalls, bestItems = size, calls, items
		}
	}
	pages := make([]Page, 0, bestCalls)
	for n := start/bestSize + 1; n <= (end-1)/bestSize+1; n++ {
		pages = append(pages, Page{Number: n, Size: bestSize})
	}
	return pages
}

// Assemble cuts positions [start, end) out of fetched pages (in the order
// PlanPages gave them). A short page ends the list there: whatever lies
// after a gap is not returned, so the result is always contiguous.
//
// A window inside the first page (a page of 50 from one upstream page, the
// common case) is that page's items themselves, not a copy: 9 KB a request
// saved. Callers only read the result; appending to it copies.
func Assemble[T any](pages []Page, results [][]T, start, end int) []T {
	if len(pages) > 0 {
		lo, hi := start-pages[0].Offset(), end-pages[0].Offset()
		if items := results[0]; lo >= 0 && lo <= hi && hi <= len(items) {
			return items[lo:hi:hi]
		}
	}
	out := make([]T, 0, end-start)
	next := start
	for i, p := range pages {
		items := results[i]
		for j, it := range items {
			pos := p.Offset() + j
			if pos < next {
				continue
			}
			if pos != next || pos >= end {
				break
			}
			out = append(out, it)
			next++
		}
		if p.Offset()+len(items) < min(end, p.Offset()+p.Size) {
			break // short page: the list ends here
		}
	}
	return out
}
