package paging

import (
	"slices"
	"testing"

	"github.com/aigw/gqlfacade/restclient"
)

// minCalls is the fewest pages of at most 50 items that can cover [start,
// end), found by brute force over every page size.
func minCalls(start, end int) int {
	best := -1
	for size := 1; size <= restclient.MaxPerPage; size++ {
		calls := (end-1)/size - start/size + 1
		if best < 0 || calls < best {
			best = calls
		}
	}
	return best
}

func TestPlanPagesCoversWindowWithFewestCalls(t *testing.T) {
	for start := 0; start < 260; start += 3 {
		for _, n := range []int{1, 2, 7, 20, 49, 50, 51, 99, 120, 200} {
			end := start + n
			pages := PlanPages(start, end)
			if got, want := len(pages), minCalls(start, end); got != want {
				t.Fatalf("PlanPages(%d,%d): %d calls, want %d (%v)", start, end, got, want, pages)
			}
			covered := map[int]bool{}
			for _, p := range pages {
				if p.Size < 1 || p.Size > restclient.MaxPerPage || p.Number < 1 {
					t.Fatalf("PlanPages(%d,%d): invalid page %+v", start, end, p)
				}
				for i := p.Offset(); i < p.Offset()+p.Size; i++ {
					covered[i] = true
				}
			}
			for i := start; i < end; i++ {
				if !covered[i] {
					t.Fatalf("PlanPages(%d,%d) misses position %d: %v", start, end, i, pages)
				}
			}
		}
	}
}

func TestPlanPagesOneCallWheneverOnePageFits(t *testing.T) {
	// Positions 45..54 straddle the 50-item boundary, yet one page of
	// size 11..  (page 5 of 11 = 44..54) covers them.
	pages := PlanPages(45, 55)
	if len(pages) != 1 {
		t.Fatalf("PlanPages(45,55) = %v, want one page", pages)
	}
	if PlanPages(10, 10) != nil {
		t.Fatal("an empty window needs no page")
	}
}

func TestAssemble(t *testing.T) {
	list := make([]int, 130)
	for i := range list {
		list[i] = i
	}
	fetch := func(p Page) []int {
		lo := min(p.Offset(), len(list))
		return list[lo:min(p.Offset()+p.Size, len(list))]
	}
	for _, w := range [][2]int{{0, 20}, {45, 55}, {0, 120}, {100, 140}, {125, 130}, {130, 150}, {7, 8}} {
		pages := PlanPages(w[0], w[1])
		results := make([][]int, len(pages))
		for i, p := range pages {
			results[i] = fetch(p)
		}
		got := Assemble(pages, results, w[0], w[1])
		want := list[min(w[0], len(list)):min(w[1], len(list))]
		if !slices.Equal(got, want) {
			t.Errorf("window %v: got %v, want %v", w, got, want)
		}
	}
}

func TestAssembleStopsAtGap(t *testing.T) {
	pages := []Page{{1, 10}, {2, 10}}
	results := [][]int{{0, 1, 2}, {10, 11}} // first page short: the list ended
	if got := Assemble(pages, results, 0, 20); !slices.Equal(got, []int{0, 1, 2}) {
		t.Fatalf("got %v", got)
	}
}
