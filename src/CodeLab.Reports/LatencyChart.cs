using System.Globalization;

namespace CodeLab.Reports;

/// <summary>
/// A load scenario's latency over time as inline SVG: p50, p99 and max per second of the measured run, failed calls as
/// marks along the bottom, and each latency threshold drawn as a dashed line at its bound. Numbers only: no candidate
/// text reaches the drawing except through <see cref="CandidateText.HtmlInline"/>.
/// </summary>
internal static class LatencyChart
{
    const double Width = 640, Height = 220, Left = 48, Right = 12, Top = 12, Bottom = 28;

    public static Html Render(LoadReport load)
    {
        if (load.Series.Count == 0) return Html.Of($"<p>No per-second figures for this run.</p>");
        var bounds = load.Thresholds.Select(t => ReportText.LatencyBound(t.Expression)).OfType<(double Bound, string Label)>().ToList();
        var top = Math.Max(1, Math.Max(load.Series.Max(s => s.MaxMs), bounds.Select(b => b.Bound).DefaultIfEmpty(0).Max()) * 1.1);
        var first = load.Series.Min(s => s.Second);
        var last = Math.Max(first + 1, load.Series.Max(s => s.Second));
        double X(double second) => Left + (second - first) / (last - first) * (Width - Left - Right);
        double Y(double ms) => Top + (1 - ms / top) * (Height - Top - Bottom);
        string Line(Func<LoadSecond, double> value) =>
            string.Join(' ', load.Series.OrderBy(s => s.Second).Select(s => $"{F(X(s.Second))},{F(Y(value(s)))}"));

        var svg = new List<Html>();
        svg.Add(Html.Of($"<svg class=\"chart\" viewBox=\"0 0 {F(Width)} {F(Height)}\" width=\"{F(Width)}\" height=\"{F(Height)}\" role=\"img\" xmlns=\"http://www.w3.org/2000/svg\">"));
        svg.Add(Html.Of($"<rect x=\"{F(Left)}\" y=\"{F(Top)}\" width=\"{F(Width - Left - Right)}\" height=\"{F(Height - Top - Bottom)}\" fill=\"#fafafa\" stroke=\"#ccc\"/>"));
        foreach (var tick in Ticks(top))
            svg.Add(Html.Of($"<text x=\"{F(Left - 4)}\" y=\"{F(Y(tick) + 4)}\" text-anchor=\"end\" font-size=\"10\">{F(tick)}</text><line x1=\"{F(Left)}\" x2=\"{F(Width - Right)}\" y1=\"{F(Y(tick))}\" y2=\"{F(Y(tick))}\" stroke=\"#eee\"/>"));
        svg.Add(Html.Of($"<text x=\"{F(Left)}\" y=\"{F(Height - 8)}\" font-size=\"10\">second {first}</text><text x=\"{F(Width - Right)}\" y=\"{F(Height - 8)}\" font-size=\"10\" text-anchor=\"end\">second {last} (ms on the left)</text>"));
        svg.Add(Html.Of($"<polyline fill=\"none\" stroke=\"#bbb\" stroke-width=\"1\" points=\"{Line(s => s.MaxMs)}\"/>"));
        svg.Add(Html.Of($"<polyline fill=\"none\" stroke=\"#d9822b\" stroke-width=\"2\" points=\"{Line(s => s.P99Ms)}\"/>"));
        svg.Add(Html.Of($"<polyline fill=\"none\" stroke=\"#2b6cb0\" stroke-width=\"2\" points=\"{Line(s => s.P50Ms)}\"/>"));
        foreach (var s in load.Series.Where(s => s.Fail > 0))
            svg.Add(Html.Of($"<rect x=\"{F(X(s.Second) - 2)}\" y=\"{F(Height - Bottom - 6)}\" width=\"4\" height=\"6\" fill=\"#c53030\"><title>{s.Fail} failed</title></rect>"));
        foreach (var (bound, label) in bounds)
            svg.Add(Html.Of($"<line x1=\"{F(Left)}\" x2=\"{F(Width - Right)}\" y1=\"{F(Y(bound))}\" y2=\"{F(Y(bound))}\" stroke=\"#c53030\" stroke-dasharray=\"6 4\"/><text x=\"{F(Width - Right - 4)}\" y=\"{F(Y(bound) - 4)}\" text-anchor=\"end\" font-size=\"10\" fill=\"#c53030\">threshold: {label} &lt; {F(bound)} ms</text>"));
        svg.Add(Html.Of($"</svg>"));
        return Html.Of($"{Html.Join(svg)}<p class=\"legend\"><span style=\"color:#2b6cb0\">━ p50</span> <span style=\"color:#d9822b\">━ p99</span> <span style=\"color:#999\">━ max</span> <span style=\"color:#c53030\">╌ threshold, ▪ seconds with failed calls</span> (per second of the run, from each call's intended start)</p>");
    }

    static IEnumerable<double> Ticks(double top)
    {
        var step = Math.Pow(10, Math.Floor(Math.Log10(top)));
        if (top / step < 3) step /= 2;
        for (var v = 0.0; v <= top; v += step) yield return Math.Round(v, 3);
    }

    static string F(double value) => value.ToString("0.#", CultureInfo.InvariantCulture);
}
