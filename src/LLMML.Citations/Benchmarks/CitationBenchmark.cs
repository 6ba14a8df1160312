using System.Text.Json;
using LLMML.Citations.Features;
using LLMML.Citations.Graphs;
using LLMML.Citations.Loading;
using LLMML.Citations.Synthetic;
using LLMML.Foundation.Benchmarks;
using LLMML.Foundation.Progress;

namespace LLMML.Citations.Benchmarks;

/// <summary>One timed step: the median of its repetitions, with the target and the networkx figure where METHODS.md has them.</summary>
/// <param name="Step">What was timed.</param>
/// <param name="MedianSeconds">Median wall time.</param>
/// <param name="MedianCpuSeconds">Median CPU time of the process over the step (all threads): unlike wall time it barely
/// moves when other processes compete for the cores; wall ≈ CPU / cores used on an idle machine.</param>
/// <param name="TargetSeconds">The target, if any.</param>
/// <param name="NetworkxSeconds">networkx 3.6 on a 2-core machine (METHODS.md §5), if given.</param>
public sealed record BenchmarkStep(string Step, double MedianSeconds, double MedianCpuSeconds, double? TargetSeconds, double? NetworkxSeconds);

/// <summary>What <see cref="CitationBenchmark.Run"/> measured.</summary>
public sealed record CitationBenchmarkResult(
    int Nodes, int Edges, int Seeds, long InputBytes, int Repetitions, int ProcessorCount, double? LoadAverage,
    IReadOnlyList<BenchmarkStep> Steps, double PeakWorkingSetMegabytes, double TargetPeakMegabytes)
{
    /// <summary>The same-run comparison with igraph (<c>--igraph</c>), or null.</summary>
    public PeerComparison? Peer { get; init; }

    /// <summary>The result as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });
}

/// <summary>
/// The performance benchmark of issue 7 on the synthetic ACL-like graph: load from a Semantic Scholar-style JSONL
/// file, every feature but betweenness, PageRank alone, and betweenness from 500 sampled sources on all cores.
/// Each step runs once to warm up, then <c>repetitions</c> times; the median is reported.
/// </summary>
public static class CitationBenchmark
{
    /// <summary>Runs the benchmark; <paramref name="workDirectory"/> receives the temporary JSONL input (deleted afterwards).</summary>
    public static CitationBenchmarkResult Run(AclLikeGraphOptions? graphOptions = null, int repetitions = 3, string? workDirectory = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        graphOptions ??= new AclLikeGraphOptions();
        progress?.Report(new ProgressUpdate("generate graph", 0));
        var synthetic = AclLikeGraphGenerator.Generate(graphOptions);
        var dir = workDirectory ?? Path.GetTempPath();
        var input = Path.Combine(dir, $"llmml-citations-bench-{Environment.ProcessId}.jsonl");
        try
        {
            progress?.Report(new ProgressUpdate("write jsonl", 0));
            SemanticScholarJsonl.Write(synthetic.Graph, input);
            long bytes = new FileInfo(input).Length;
            var loadOptions = new CitationLoadOptions { FieldProperty = SemanticScholarJsonl.FieldProperty };
            CitationGraph graph = null!;
            var steps = new List<BenchmarkStep>();
            int stepIndex = 0;
            BenchmarkStep Time(string name, double? target, double? networkx, Action action)
            {
                cancellationToken.ThrowIfCancellationRequested();
                progress?.Report(new ProgressUpdate(name, stepIndex++, 7));
                var (wallMs, cpuMs) = BenchmarkTiming.Timed(repetitions, action);
                var step = new BenchmarkStep(name, wallMs / 1000, cpuMs / 1000, target, networkx);
                steps.Add(step);
                return step;
            }
            var load = Time("load JSONL (S2 format)", null, 7.1, () => graph = SemanticScholarLoader.Load(input, loadOptions, null, cancellationToken).Graph);
            var noBc = new CitationFeatureOptions { Features = CitationFeatureKinds.AllButBetweenness };
            var features = Time("all features but betweenness", null, null, () => CitationFeatureComputer.Compute(graph, noBc, null, cancellationToken));
            steps.Add(new BenchmarkStep("load + all features but betweenness", load.MedianSeconds + features.MedianSeconds,
                load.MedianCpuSeconds + features.MedianCpuSeconds, 2.0, null));
            Time("pagerank", 0.3, 25.9, () => PageRank.Compute(graph, null, cancellationToken));
            Time("hits", null, null, () => Hits.Compute(graph, null, cancellationToken));
            Time("k-core", null, 17.8, () => CoreNumber.Compute(graph));
            Time("clustering", null, null, () => Clustering.Compute(graph, cancellationToken));
            Time($"betweenness, 500 sources, {Environment.ProcessorCount} threads", 2.0, 1.1 * 500,
                () => Betweenness.Compute(graph, new BetweennessOptions { Samples = 500, Seed = 1 }, null, cancellationToken));
            Time("betweenness, 500 sources, 1 thread", null, 1.1 * 500,
                () => Betweenness.Compute(graph, new BetweennessOptions { Samples = 500, Seed = 1, MaxDegreeOfParallelism = 1 }, null, cancellationToken));
            return new CitationBenchmarkResult(graph.NodeCount, graph.EdgeCount, graphOptions.Seeds, bytes, repetitions,
                Environment.ProcessorCount, BenchmarkTiming.LoadAverage(), steps, BenchmarkTiming.PeakWorkingSetMb(), 1024);
        }
        finally
        {
            File.Delete(input);
        }
    }
}
