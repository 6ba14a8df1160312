using LLMML.Citations.Graphs;
using LLMML.Foundation.Progress;

namespace LLMML.Citations.Features;

/// <summary>Computes the selected per-paper features of a graph.</summary>
public static class CitationFeatureComputer
{
    /// <summary>Computes <paramref name="options"/>' feature groups for every paper of <paramref name="graph"/>.</summary>
    public static PaperFeatures Compute(CitationGraph graph, CitationFeatureOptions? options = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        options ??= new CitationFeatureOptions();
        var kinds = options.Features;
        int n = graph.NodeCount;
        var names = new List<string>();
        var columns = new List<FeatureColumn>();
        void Add(string name, double[] column) { names.Add(name); columns.Add(FeatureColumn.Stored(column)); }
        // Counts and shares are read off each paper's own edges when asked for, in the arithmetic the arrays had.
        void Derive(string name, Func<int, double> value) { names.Add(name); columns.Add(FeatureColumn.Derived(value)); }
        void Stage(string stage) { cancellationToken.ThrowIfCancellationRequested(); progress?.Report(new ProgressUpdate(stage, names.Count)); }

        if (kinds.HasFlag(CitationFeatureKinds.Counts))
        {
            Derive("citations", v => graph.CitationCount(v));
            Derive("references", v => graph.ReferenceCount(v));
        }
        if (kinds.HasFlag(CitationFeatureKinds.CitationsPerYear))
        {
            int now = options.ReferenceYear ?? (n == 0 ? 0 : graph._yearArray.Max());
            Derive("citations_per_year", v =>
            {
                int y = graph._yearArray[v];
                return y == 0 ? double.NaN : graph.CitationCount(v) / (double)Math.Max(1, now - y + 1);
            });
        }
        double pageRankFloor = double.NaN;
        if (kinds.HasFlag(CitationFeatureKinds.PageRank))
        {
            Stage("pagerank");
            var pr = PageRank.Compute(graph, options.PageRank, cancellationToken);
            pageRankFloor = Floor(graph, pr, options.PageRank.Alpha);
            Add("pagerank", pr);
        }
        double[]? authorities = null;
        double hubNormaliser = double.NaN;
        if (kinds.HasFlag(CitationFeatureKinds.Hits))
        {
            Stage("hits");
            var hits = Hits.Compute(graph, options.Hits, cancellationToken);
            authorities = hits.Authorities;
            hubNormaliser = 0;
            foreach (var t in graph._refTargets) hubNormaliser += authorities[t];
            Add("hits_hub", hits.Hubs);
            Add("hits_authority", hits.Authorities);
        }
        int[]? cores = null;
        if (kinds.HasFlag(CitationFeatureKinds.CoreNumber))
        {
            Stage("k-core");
            var c = cores = CoreNumber.Compute(graph);
            Derive("core_number", v => c[v]);
        }
        if (kinds.HasFlag(CitationFeatureKinds.Betweenness))
        {
            Stage("betweenness");
            var bo = options.Betweenness;
            if (bo.Samples is null && n > options.ExactBetweennessLimit)
                bo = new BetweennessOptions { Samples = options.DefaultBetweennessSamples, Seed = bo.Seed, Normalized = bo.Normalized, MaxDegreeOfParallelism = bo.MaxDegreeOfParallelism };
            Add("betweenness", Betweenness.Compute(graph, bo, progress, cancellationToken));
        }
        if (kinds.HasFlag(CitationFeatureKinds.Clustering))
        {
            Stage("clustering");
            Add("clustering", Clustering.Compute(graph, cancellationToken));
        }
        if (kinds.HasFlag(CitationFeatureKinds.FieldShares))
        {
            Derive("same_field_citation_share", v => FieldShares.SameAndOtherOf(graph, v).Same);
            Derive("other_field_citation_share", v => FieldShares.SameAndOtherOf(graph, v).Other);
        }
        var targets = TargetFieldIndices(graph, options.TargetFields);
        if (kinds.HasFlag(CitationFeatureKinds.ReferenceFieldShares))
        {
            for (int t = 0; t < targets.Length; t++)
            {
                int field = targets[t];
                Derive("reference_share:" + graph.FieldNames[targets[t]], v => FieldShares.ReferenceShareOf(graph, v, field));
            }
        }
        if (kinds.HasFlag(CitationFeatureKinds.CitingFieldShares))
        {
            for (int f = 0; f < graph.FieldNames.Count; f++)
            {
                int field = f;
                Derive("citation_share:" + graph.FieldNames[f], v => FieldShares.CitingShareOf(graph, v, field));
            }
        }
        if (kinds.HasFlag(CitationFeatureKinds.Intents))
        {
            Derive("influential_share", v => FieldShares.IntentShareOf(graph, v, EdgeFlags.Influential));
            Derive("background_share", v => FieldShares.IntentShareOf(graph, v, EdgeFlags.Background));
            Derive("methodology_share", v => FieldShares.IntentShareOf(graph, v, EdgeFlags.Methodology));
            Derive("result_share", v => FieldShares.IntentShareOf(graph, v, EdgeFlags.Result));
        }
        return new PaperFeatures(graph, [.. names], [.. columns], new NewPaperContext(pageRankFloor, hubNormaliser, authorities, cores, targets));
    }

    private static int[] TargetFieldIndices(CitationGraph graph, IReadOnlyList<string>? targets)
    {
        if (targets is null) return Enumerable.Range(0, graph.FieldNames.Count).ToArray();
        return targets.Select(t =>
        {
            int i = graph.FieldIndex(t);
            return i >= 0 ? i : throw new ArgumentException($"Target field '{t}' does not occur in the graph; its fields are: {string.Join(", ", graph.FieldNames)}.", nameof(targets));
        }).ToArray();
    }

    // The rank every uncited paper gets: teleport plus the uniformly spread dangling rank.
    private static double Floor(CitationGraph g, double[] pr, double alpha)
    {
        double dangling = 0;
        for (int v = 0; v < g.NodeCount; v++) if (g.ReferenceCount(v) == 0) dangling += pr[v];
        return ((1 - alpha) + alpha * dangling) / g.NodeCount;
    }
}
