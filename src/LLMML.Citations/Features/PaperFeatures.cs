using System.Globalization;
using System.Text;
using LLMML.Citations.Graphs;
using Microsoft.Data.Analysis;

namespace LLMML.Citations.Features;

/// <summary>
/// Per-paper feature columns of one graph. Undefined values are NaN (e.g. a share of citations for a paper
/// nobody cites, citations per year without a year); <see cref="Vector"/> turns them into 0 for learners.
/// </summary>
public sealed class PaperFeatures
{
    private readonly Dictionary<string, int> _columnIndex;

    internal PaperFeatures(CitationGraph graph, string[] names, double[][] columns, NewPaperContext context)
    {
        Graph = graph;
        Names = names;
        Columns = columns;
        Context = context;
        _columnIndex = names.Select((n, i) => (n, i)).ToDictionary(p => p.n, p => p.i, StringComparer.Ordinal);
    }

    /// <summary>The graph the features describe.</summary>
    public CitationGraph Graph { get; }

    /// <summary>Feature names, in vector order.</summary>
    public IReadOnlyList<string> Names { get; }

    /// <summary>Column per feature, indexed by paper.</summary>
    internal double[][] Columns { get; }

    /// <summary>What a paper outside the graph needs to be scored from its references.</summary>
    internal NewPaperContext Context { get; }

    /// <summary>One feature for every paper (a copy).</summary>
    public double[] Column(string name) =>
        _columnIndex.TryGetValue(name, out var i) ? (double[])Columns[i].Clone()
            : throw new KeyNotFoundException($"Feature '{name}' was not computed; computed: {string.Join(", ", Names)}.");

    /// <summary>Whether a feature was computed.</summary>
    public bool Has(string name) => _columnIndex.ContainsKey(name);

    /// <summary>Value of one feature for one paper.</summary>
    public double this[int paper, string name] => Columns[_columnIndex[name]][paper];

    /// <summary>The feature vector of a paper in the graph, NaN replaced by 0.</summary>
    public void Vector(int paper, Span<float> into)
    {
        if (into.Length != Columns.Length) throw new ArgumentException($"Vector needs {Columns.Length} slots, got {into.Length}.", nameof(into));
        for (int f = 0; f < Columns.Length; f++)
        {
            double v = Columns[f][paper];
            into[f] = double.IsNaN(v) ? 0f : (float)v;
        }
    }

    /// <summary>A DataFrame with <c>paper_id</c>, <c>year</c>, <c>field</c> and one column per feature.</summary>
    public DataFrame ToDataFrame()
    {
        int n = Graph.NodeCount;
        var ids = new StringDataFrameColumn("paper_id", n);
        var years = new Int32DataFrameColumn("year", n);
        var fields = new StringDataFrameColumn("field", n);
        for (int i = 0; i < n; i++)
        {
            ids[i] = Graph.PaperIds[i];
            years[i] = Graph.YearOf(i);
            fields[i] = Graph.FieldNameOf(i);
        }
        var frame = new DataFrame(ids, years, fields);
        for (int f = 0; f < Columns.Length; f++) frame.Columns.Add(new DoubleDataFrameColumn(Names[f], Columns[f]));
        return frame;
    }

    /// <summary>Writes the table as CSV (invariant culture, empty cells for unknown year/field and NaN).</summary>
    public void WriteCsv(string path)
    {
        using var w = new StreamWriter(path, false, new UTF8Encoding(false));
        w.Write("paper_id,year,field");
        foreach (var name in Names) w.Write(',' + Quote(name));
        w.WriteLine();
        var sb = new StringBuilder();
        for (int i = 0; i < Graph.NodeCount; i++)
        {
            sb.Clear();
            sb.Append(Quote(Graph.PaperIds[i])).Append(',');
            if (Graph.YearOf(i) is { } y) sb.Append(y.ToString(CultureInfo.InvariantCulture));
            sb.Append(',').Append(Quote(Graph.FieldNameOf(i) ?? ""));
            foreach (var column in Columns)
            {
                sb.Append(',');
                if (!double.IsNaN(column[i])) sb.Append(column[i].ToString("R", CultureInfo.InvariantCulture));
            }
            w.WriteLine(sb);
        }
    }

    private static string Quote(string s) =>
        s.AsSpan().IndexOfAny(",\"\n\r") >= 0 ? '"' + s.Replace("\"", "\"\"") + '"' : s;
}

/// <summary>Graph-wide constants that define the features of a paper scored from its references only.</summary>
/// <param name="PageRankFloor">PageRank of a paper nobody cites: (1−α)/n + α·(dangling rank)/n.</param>
/// <param name="HubNormaliser">Sum over all edges of the target's authority: the hub normalisation constant.</param>
/// <param name="Authorities">Authority scores (for a new paper's hub score), or null when HITS was not computed.</param>
/// <param name="Cores">Core numbers (for a new paper's core estimate), or null.</param>
/// <param name="TargetFields">Field indices of the reference-share columns, in order.</param>
public sealed record NewPaperContext(double PageRankFloor, double HubNormaliser, double[]? Authorities, int[]? Cores, int[] TargetFields);
