package main

import (
	"fmt"
	"image/color"
	"path/filepath"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
)

// Colours: Cairn blue, Redis red; the lighter shade is the figure measured
// with cairn-benchmark.
var (
	cairnDark  = color.RGBA{R: 0x1f, G: 0x5f, B: 0xa8, A: 0xff}
	cairnLight = color.RGBA{R: 0x8e, G: 0xb8, B: 0xe5, A: 0xff}
	redisDark  = color.RGBA{R: 0xb8, G: 0x2e, B: 0x2e, A: 0xff}
	redisLight = color.RGBA{R: 0xeb, G: 0x9a, B: 0x9a, A: 0xff}
)

// writeCharts draws throughput per load and latency percentiles, and
// returns the file names written in dir.
func writeCharts(dir, base string, rec record) ([]string, error) {
	var names []string
	tp := base + "-throughput.png"
	if err := throughputChart(filepath.Join(dir, tp), rec); err != nil {
		return nil, err
	}
	names = append(names, tp)
	ratio := base + "-ratio.png"
	if err := ratioChart(filepath.Join(dir, ratio), rec); err != nil {
		return nil, err
	}
	names = append(names, ratio)
	lat := base + "-latency.png"
	if err := latencyChart(filepath.Join(dir, lat), rec); err != nil {
		return nil, err
	}
	return append(names, lat), nil
}

// group is one cluster of bars on the X axis.
type group struct {
	label  string
	values map[string]float64 // series name -> value
}

func barChart(path, title, ylabel string, groups []group, series []string, colors []color.Color, width vg.Length, lines ...plot.Plotter) error {
	p := plot.New()
	p.Title.Text = title
	p.Y.Label.Text = ylabel
	p.Legend.Top = true
	p.Legend.Left = false
	bw := vg.Points(9)
	var labels []string
	for _, g := range groups {
		labels = append(labels, g.label)
	}
	for i, s := range series {
		vals := make(plotter.Values, len(groups))
		for j, g := range groups {
			vals[j] = g.values[s]
		}
		bars, err := plotter.NewBarChart(vals, bw)
		if err != nil {
			return fmt.Errorf("benchrun: chart: %w", err)
		}
		bars.Color = colors[i]
		bars.LineStyle.Width = 0
		bars.Offset = bw * vg.Length(2*i-len(series)+1) / 2
		p.Add(bars)
		p.Legend.Add(s, bars)
	}
	p.NominalX(labels...)
	p.X.Tick.Label.Rotation = 0.5
	p.X.Tick.Label.XAlign = -1
	p.X.Tick.Label.YAlign = -0.5
	p.Add(plotter.NewGrid())
	p.Y.Min = 0
	p.Y.Max *= 1.2 // room for the legend above the bars
	for _, l := range lines {
		p.Add(l)
	}
	return p.Save(width, 5*vg.Inch, path)
}

func throughputChart(path string, rec record) error {
	series := []string{"Cairn (redis-benchmark)", "Redis (redis-benchmark)", "Cairn (cairn-benchmark)", "Redis (cairn-benchmark)"}
	byLabel := map[string]*group{}
	var order []string
	for _, r := range rec.Rows {
		if r.Test == combinedTest {
			continue
		}
		label := r.Load + " " + r.Test
		g, ok := byLabel[label]
		if !ok {
			g = &group{label: label, values: map[string]float64{}}
			byLabel[label] = g
			order = append(order, label)
		}
		g.values["Cairn ("+r.Tool+")"] = r.A.RPS / 1000
		g.values["Redis ("+r.Tool+")"] = r.B.RPS / 1000
	}
	var groups []group
	for _, l := range order {
		groups = append(groups, *byLabel[l])
	}
	return barChart(path, "Throughput, median of runs (higher is better)", "thousand requests / s", groups, series,
		[]color.Color{cairnDark, redisDark, cairnLight, redisLight}, vg.Length(len(groups))*0.9*vg.Inch+2*vg.Inch)
}

// latencyChart shows cairn-benchmark's percentiles for the unpipelined
// loads, where latency is what a single client sees.
func latencyChart(path string, rec record) error {
	var groups []group
	for _, r := range rec.Rows {
		if r.Tool != toolCairnBench || (r.Load != "c50-p1" && r.Load != "always-c50-p1") {
			continue
		}
		for _, q := range []struct {
			name string
			a, b float64
		}{{"p50", r.A.P50, r.B.P50}, {"p90", r.A.P90, r.B.P90}, {"p99", r.A.P99, r.B.P99}, {"p99.9", r.A.P999, r.B.P999}} {
			groups = append(groups, group{label: fmt.Sprintf("%s %s %s", r.Load, r.Test, q.name),
				values: map[string]float64{"Cairn": q.a, "Redis": q.b}})
		}
	}
	return barChart(path, "Latency percentiles, -c 50 -P 1, cairn-benchmark (lower is better)", "ms", groups,
		[]string{"Cairn", "Redis"}, []color.Color{cairnDark, redisDark}, vg.Length(len(groups))*0.6*vg.Inch+2*vg.Inch)
}

// ratioChart shows Cairn / Redis per load and tool, with the parity line.
func ratioChart(path string, rec record) error {
	var groups []group
	idx := map[string]int{}
	for _, r := range rec.Rows {
		label := r.Load + " " + r.Test
		i, ok := idx[label]
		if !ok {
			i = len(groups)
			idx[label] = i
			groups = append(groups, group{label: label, values: map[string]float64{}})
		}
		groups[i].values[r.Tool] = r.Ratio
	}
	parity, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: 1}, {X: float64(len(groups)) - 0.5, Y: 1}})
	if err != nil {
		return err
	}
	parity.Color = color.Black
	parity.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
	return barChart(path, "Cairn / Redis throughput (above the dashed line: Cairn faster)", "ratio", groups,
		[]string{toolRedisBench, toolCairnBench}, []color.Color{cairnDark, cairnLight},
		vg.Length(len(groups))*0.7*vg.Inch+2*vg.Inch, parity)
}
