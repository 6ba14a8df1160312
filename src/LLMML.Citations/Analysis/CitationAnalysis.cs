using MathNet.Numerics.Statistics;
using LLMML.Citations.Features;
using LLMML.Citations.Graphs;
using Microsoft.Data.Analysis;

namespace LLMML.Citations.Analysis;

/// <summary>
/// The field-impact analysis of Mosbach et al. (2024) as DataFrames: everything is computed per field and per
/// publication year over the included papers (e.g. seeds), while citations are counted from the whole graph.
/// Papers without a known field or year are left out of every table.
/// </summary>
public sealed class CitationAnalysis
{
    private readonly CitationGraph _graph;
    private readonly PaperFeatures? _features;
    private readonly CitationAnalysisOptions _options;
    private readonly SortedDictionary<(int Year, int Field), List<int>> _groups = new();

    /// <summary>Prepares the groups of <paramref name="graph"/>; <paramref name="features"/> is needed only for the centrality table.</summary>
    public CitationAnalysis(CitationGraph graph, PaperFeatures? features = null, CitationAnalysisOptions? options = null)
    {
        _graph = graph;
        _features = features;
        _options = options ?? new CitationAnalysisOptions();
        if (_options.Include is { } inc && inc.Count != graph.NodeCount)
            throw new ArgumentException($"Include has {inc.Count} entries for {graph.NodeCount} papers.", nameof(options));
        if (features is not null && !ReferenceEquals(features.Graph, graph))
            throw new ArgumentException("The features were computed on a different graph.", nameof(features));
        for (int v = 0; v < graph.NodeCount; v++)
        {
            if (_options.Include is { } include && !include[v]) continue;
            int year = graph._yearArray[v], field = graph._fieldArray[v];
            if (year == 0 || field < 0) continue;
            if (!_groups.TryGetValue((year, field), out var list)) _groups[(year, field)] = list = [];
            list.Add(v);
        }
    }

    /// <summary>Years present among the analysed papers.</summary>
    public IReadOnlyList<int> Years => _groups.Keys.Select(k => k.Year).Distinct().ToArray();

    /// <summary>
    /// Citation counts per field and year: papers, mean and median citations, and the share of the field's papers in the
    /// top 10% of their year (citations ≥ the year's 90th percentile).
    /// </summary>
    public DataFrame CitationCounts()
    {
        var t = new Table("papers", "mean_citations", "median_citations", "top10_share");
        var thresholds = _groups.GroupBy(g => g.Key.Year).ToDictionary(y => y.Key,
            y => SortedArrayStatistics.QuantileCustom(y.SelectMany(g => g.Value).Select(v => (double)_graph.CitationCount(v)).Order().ToArray(), 0.9, QuantileDefinition.R7));
        foreach (var ((year, field), papers) in _groups)
        {
            var c = papers.Select(v => (double)_graph.CitationCount(v)).Order().ToArray();
            t.Row(year, field, c.Length, c.Average(), SortedArrayStatistics.QuantileCustom(c, 0.5, QuantileDefinition.R7), c.Count(x => x >= thresholds[year]) / (double)c.Length);
        }
        return t.ToFrame(_graph);
    }

    /// <summary>CSI(field A, field B) for every ordered pair of distinct fields present in the same year.</summary>
    public DataFrame CitationSuccessIndexTable()
    {
        var years = new Int32DataFrameColumn("year");
        var fa = new StringDataFrameColumn("field_a");
        var fb = new StringDataFrameColumn("field_b");
        var csi = new DoubleDataFrameColumn("csi");
        var na = new Int32DataFrameColumn("papers_a");
        var nb = new Int32DataFrameColumn("papers_b");
        foreach (var year in _groups.GroupBy(g => g.Key.Year))
        {
            var counts = year.ToDictionary(g => g.Key.Field, g => g.Value.Select(v => (double)_graph.CitationCount(v)).ToArray());
            foreach (var (a, ca) in counts)
                foreach (var (b, cb) in counts)
                {
                    if (a == b) continue;
                    years.Append(year.Key); fa.Append(_graph.FieldNames[a]); fb.Append(_graph.FieldNames[b]);
                    csi.Append(CitationSuccessIndex.Compute(ca, cb)); na.Append(ca.Length); nb.Append(cb.Length);
                }
        }
        return new DataFrame(years, fa, fb, csi, na, nb);
    }

    /// <summary>
    /// Intra-field share of incoming citations: of all citations the field's papers received, the share from papers
    /// of the same field (citers of unknown field stay in the denominator).
    /// </summary>
    public DataFrame IntraFieldShare()
    {
        var t = new Table("papers", "citations", "same_field_citations", "intra_field_share");
        foreach (var ((year, field), papers) in _groups)
        {
            long all = 0, same = 0;
            foreach (var v in papers)
                foreach (var u in _graph.CitationsOf(v))
                {
                    all++;
                    if (_graph._fieldArray[u] == field) same++;
                }
            t.Row(year, field, papers.Count, all, same, all == 0 ? double.NaN : (double)same / all);
        }
        return t.ToFrame(_graph);
    }

    /// <summary>Per field and year, the median and mean over papers with references of the share of their references into <paramref name="targetField"/>.</summary>
    public DataFrame ReferenceShareTo(string targetField)
    {
        int target = _graph.FieldIndex(targetField);
        if (target < 0) throw new ArgumentException($"Field '{targetField}' does not occur in the graph; its fields are: {string.Join(", ", _graph.FieldNames)}.", nameof(targetField));
        var t = new Table("papers_with_references", "median_share", "mean_share");
        foreach (var ((year, field), papers) in _groups)
        {
            var shares = papers.Where(v => _graph.ReferenceCount(v) > 0).Select(v =>
            {
                int c = 0;
                foreach (var r in _graph.ReferencesOf(v)) if (_graph._fieldArray[r] == target) c++;
                return (double)c / _graph.ReferenceCount(v);
            }).Order().ToArray();
            t.Row(year, field, shares.Length, SortedArrayStatistics.QuantileCustom(shares, 0.5, QuantileDefinition.R7), shares.Length == 0 ? double.NaN : shares.Average());
        }
        return t.ToFrame(_graph);
    }

    /// <summary>
    /// Distribution of a centrality feature (default betweenness) per field and year: median, quartiles and share of zeros.
    /// With <paramref name="poolYears"/> the years are pooled and <c>year</c> is 0.
    /// </summary>
    public DataFrame CentralityDistribution(bool poolYears = false)
    {
        if (_features is null) throw new InvalidOperationException("CentralityDistribution needs the paper features; pass them to the constructor.");
        var values = _features.Column(_options.CentralityFeature);
        var t = new Table("papers", "median", "q1", "q3", "zero_share");
        var groups = poolYears
            ? _groups.GroupBy(g => g.Key.Field).OrderBy(g => g.Key).Select(g => ((0, g.Key), g.SelectMany(x => x.Value).ToList()))
            : _groups.Select(g => (g.Key, g.Value));
        foreach (var ((year, field), papers) in groups)
        {
            var v = papers.Select(p => values[p]).Where(x => !double.IsNaN(x)).Order().ToArray();
            t.Row(year, field, v.Length, SortedArrayStatistics.QuantileCustom(v, 0.5, QuantileDefinition.R7), SortedArrayStatistics.QuantileCustom(v, 0.25, QuantileDefinition.R7), SortedArrayStatistics.QuantileCustom(v, 0.75, QuantileDefinition.R7),
                v.Length == 0 ? double.NaN : v.Count(x => x == 0) / (double)v.Length);
        }
        return t.ToFrame(_graph);
    }

    /// <summary>The centrality values of the analysed papers per field, all years pooled (for plots).</summary>
    public IReadOnlyDictionary<string, double[]> CentralityValuesByField()
    {
        if (_features is null) throw new InvalidOperationException("CentralityValuesByField needs the paper features; pass them to the constructor.");
        var values = _features.Column(_options.CentralityFeature);
        return _groups.GroupBy(g => g.Key.Field).OrderBy(g => g.Key).ToDictionary(
            g => _graph.FieldNames[g.Key],
            g => g.SelectMany(x => x.Value).Select(p => values[p]).Where(x => !double.IsNaN(x)).ToArray());
    }

    /// <summary>Per field and year, the shares of annotated incoming citations that are influential / background / methodology / result.</summary>
    public DataFrame IntentShares()
    {
        var t = new Table("annotated_citations", "influential_share", "background_share", "methodology_share", "result_share");
        foreach (var ((year, field), papers) in _groups)
        {
            long annotated = 0, inf = 0, bg = 0, me = 0, re = 0;
            foreach (var v in papers)
                foreach (var f in _graph.CitationFlagsOf(v))
                {
                    if ((f & EdgeFlags.Annotated) == 0) continue;
                    annotated++;
                    if ((f & EdgeFlags.Influential) != 0) inf++;
                    if ((f & EdgeFlags.Background) != 0) bg++;
                    if ((f & EdgeFlags.Methodology) != 0) me++;
                    if ((f & EdgeFlags.Result) != 0) re++;
                }
            double d = annotated == 0 ? double.NaN : annotated;
            t.Row(year, field, annotated, inf / d, bg / d, me / d, re / d);
        }
        return t.ToFrame(_graph);
    }

    /// <summary>Rows of (year, field, numbers...) collected before becoming a DataFrame.</summary>
    private sealed class Table(params string[] columns)
    {
        private readonly List<(int Year, int Field, double[] Values)> _rows = [];

        public void Row(int year, int field, params double[] values) => _rows.Add((year, field, values));

        public DataFrame ToFrame(CitationGraph g)
        {
            var year = new Int32DataFrameColumn("year", _rows.Select(r => r.Year));
            var field = new StringDataFrameColumn("field", _rows.Select(r => g.FieldNames[r.Field]));
            var frame = new DataFrame(year, field);
            for (int c = 0; c < columns.Length; c++)
                frame.Columns.Add(new DoubleDataFrameColumn(columns[c], _rows.Select(r => r.Values[c])));
            return frame;
        }
    }
}
