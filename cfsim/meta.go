package cfsim

// stats accumulates the min/max figures meta_info=true adds to result_info.
// Each figure skips logs where its field is null, and is absent when no log
// of the set has one — the upstream cannot report a minimum of nothing.
type stats struct {
	cost                     minMax[float64]
	duration, in, out, total minMax[int]
}

type minMax[T int | float64] struct {
	set      bool
	min, max T
}

func (m *minMax[T]) add(v T) {
	if !m.set {
		m.set, m.min, m.max = true, v, v
		return
	}
	m.min, m.max = min(m.min, v), max(m.max, v)
}

func (m *minMax[T]) addPtr(v *T) {
	if v != nil {
		m.add(*v)
	}
}

func (m minMax[T]) pointers() (lo, hi *T) {
	if !m.set {
		return nil, nil
	}
	return &m.min, &m.max
}

func (s *stats) add(e *entry) {
	s.cost.addPtr(e.log.Cost)
	s.duration.add(e.log.Duration)
	s.in.addPtr(e.log.TokensIn)
	s.out.addPtr(e.log.TokensOut)
	s.total.addPtr(e.total)
}

// resultInfo is the list answer's result_info. The min/max members are
// pointers so that they vanish (omitempty) when meta_info is off or the
// figure is undefined.
type resultInfo struct {
	Count          int      `json:"count"`
	Page           int      `json:"page"`
	PerPage        int      `json:"per_page"`
	TotalCount     int      `json:"total_count"`
	MinCost        *float64 `json:"min_cost,omitempty"`
	MaxCost        *float64 `json:"max_cost,omitempty"`
	MinDuration    *int     `json:"min_duration,omitempty"`
	MaxDuration    *int     `json:"max_duration,omitempty"`
	MinTokensIn    *int     `json:"min_tokens_in,omitempty"`
	MaxTokensIn    *int     `json:"max_tokens_in,omitempty"`
	MinTokensOut   *int     `json:"min_tokens_out,omitempty"`
	MaxTokensOut   *int     `json:"max_tokens_out,omitempty"`
	MinTotalTokens *int     `json:"min_total_tokens,omitempty"`
	MaxTotalTokens *int     `json:"max_total_tokens,omitempty"`
}

func (ri *resultInfo) setStats(s stats) {
	ri.MinCost, ri.MaxCost = s.cost.pointers()
	ri.MinDuration, ri.MaxDuration = s.duration.pointers()
	ri.MinTokensIn, ri.MaxTokensIn = s.in.pointers()
	ri.MinTokensOut, ri.MaxTokensOut = s.out.pointers()
	ri.MinTotalTokens, ri.MaxTotalTokens = s.total.pointers()
}
