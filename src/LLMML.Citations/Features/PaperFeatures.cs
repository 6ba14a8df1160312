using System.Globalization;
using System.Text;
using LLMML.Citations.Graphs;
using LLMML.Foundation.Persistence;
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
        : this(graph, names, Array.ConvertAll(columns, FeatureColumn.Stored), context)
    {
    }

    internal PaperFeatures(CitationGraph graph, string[] names, FeatureColumn[] columns, NewPaperContext context)
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

    /// <summary>Column per feature, indexed by paper: stored, or derived from the graph when read.</summary>
    internal FeatureColumn[] Columns { get; }

    /// <summary>What a paper outside the graph needs to be scored from its references.</summary>
    internal NewPaperContext Context { get; }

    /// <summary>One feature for every paper (a copy).</summary>
    public double[] Column(string name) =>
        _columnIndex.TryGetValue(name, out var i) ? Columns[i].ToArray(Graph.NodeCount)
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

    /// <summary>A DataFrame with <c>paper_id</c>, <c>year</c>, <c>field</c> and one column per feature (undefined values NaN).</summary>
    public DataFrame ToDataFrame() => Frame(undefinedAsNull: false);

    /// <summary>
    /// Writes the table as CSV (invariant culture, empty cells for unknown year/field and undefined values) through
    /// <see cref="DataFrame.SaveCsv(DataFrame, Stream, char, bool, Encoding, CultureInfo)"/>, atomically.
    /// </summary>
    public void WriteCsv(string path) =>
        AtomicFile.Write(path, stream => DataFrame.SaveCsv(Frame(undefinedAsNull: true), stream, encoding: new UTF8Encoding(false), cultureInfo: CultureInfo.InvariantCulture));

    private DataFrame Frame(bool undefinedAsNull)
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
        for (int f = 0; f < Columns.Length; f++)
        {
            var values = Columns[f].ToArray(n);
            var column = new DoubleDataFrameColumn(Names[f], values);
            if (undefinedAsNull)
                for (int i = 0; i < n; i++)
                    if (double.IsNaN(values[i])) column[i] = null;
            frame.Columns.Add(column);
        }
        return frame;
    }
}

/// <summary>Graph-wide constants that define the features of a paper scored from its references only.</summary>
/// <param name="PageRankFloor">PageRank of a paper nobody cites: (1−α)/n + α·(dangling rank)/n.</param>
/// <param name="HubNormaliser">Sum over all edges of the target's authority: the hub normalisation constant.</param>
/// <param name="Authorities">Authority scores (for a new paper's hub score), or null when HITS was not computed.</param>
/// <param name="Cores">Core numbers (for a new paper's core estimate), or null.</param>
/// <param name="TargetFields">Field indices of the reference-share columns, in order.</param>
public sealed record NewPaperContext(double PageRankFloor, double HubNormaliser, double[]? Authorities, int[]? Cores, int[] TargetFields);
