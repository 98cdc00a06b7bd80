package e2e

import "testing"

// hostileBudget is the longest, in ms, a hostile case may block the page
// (DESIGN.md §4).
const hostileBudget = 200

// hostilePeer is a benign visit a case is compared with: the shipped
// default view to its first animated frame (precomputed layouts), or, for
// the cases computed live, the live view of liveQuery until its assets are
// fetched and decoded and computing started.
type hostilePeer struct {
	name, query, settled string
	longest              []float64
}

// BenchmarkHostile runs every case of TestHostile once in one tab, with the
// same checks, and logs per case the longest task of the whole visit (the
// figure held to the 200 ms budget) and of the part once the game ran,
// beside its peer measured in the same run (see hostilePeer; the median of three
// visits: before, halfway through and after the cases). Lines start with
// "hostile: " for bench/hostile.sh.
//
//	go test -run '^$' -bench BenchmarkHostile -benchtime 1x ./wasm/e2e
func BenchmarkHostile(b *testing.B) {
	h := newHostileSite(b)
	peers := []*hostilePeer{{name: "default view", settled: complete}, {name: "live view " + liveQuery, query: liveQuery, settled: fetched}}
	visitPeers := func() {
		for _, p := range peers {
			p.longest = append(p.longest, h.baseline(b, p.query, p.settled).Visit)
		}
	}
	cases := hostileCases()
	runs := make([]hostileRun, len(cases))
	visitPeers()
	for i, c := range cases {
		runs[i] = h.run(b, c)
		if i == len(cases)/2 {
			visitPeers()
		}
	}
	visitPeers()
	var over, overPeer, longest float64
	b.Logf("hostile: %-30s %9s %9s %8s %8s  %-7s  %s", "case", "longest", "game ran", "budget", "÷ peer", "verdict", "peer")
	for i, r := range runs {
		p := peers[0]
		if cases[i].query == liveQuery {
			p = peers[1]
		}
		peer := median(p.longest)
		over += boolMetric(r.Visit > hostileBudget)
		overPeer += boolMetric(r.Visit > peer)
		longest = max(longest, r.Visit)
		b.Logf("hostile: %-30s %6.0f ms %6.0f ms %5d ms %7.2f×  %-7s  %s", cases[i].name, r.Visit, r.Longest, hostileBudget, r.Visit/peer, verdict(r.Visit <= hostileBudget), p.name)
	}
	for _, p := range peers {
		peer := median(p.longest)
		b.Logf("hostile: peer: %-24s %6.0f ms %9s %5d ms %8s  %-7s  median of %v", p.name, peer, "", hostileBudget, "", verdict(peer <= hostileBudget), p.longest)
	}
	b.Logf("hostile: %d cases, %.0f over the %d ms budget, %.0f longer than their peer; longest %.0f ms", len(cases), over, hostileBudget, overPeer, longest)
	b.ReportMetric(float64(len(cases)), "cases")
	b.ReportMetric(over, "cases-over-budget")
	b.ReportMetric(overPeer, "cases-over-peer")
	b.ReportMetric(longest, "longest-task-ms")
	b.ReportMetric(median(peers[0].longest), "peer-longest-task-ms")
}

// verdict says whether a budget was met.
func verdict(ok bool) string {
	if ok {
		return "met"
	}
	return "NOT met"
}
