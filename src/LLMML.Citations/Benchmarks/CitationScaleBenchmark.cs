using System.Diagnostics;
using System.Text.Json;
using LLMML.Citations.Features;
using LLMML.Citations.Graphs;
using LLMML.Citations.Interchange;
using LLMML.Citations.Loading;
using LLMML.Citations.Synthetic;
using LLMML.Foundation.Benchmarks;
using LLMML.Foundation.Progress;

namespace LLMML.Citations.Benchmarks;

/// <summary>One stage of the scale benchmark: wall and CPU seconds, references handled per second, and memory.</summary>
/// <param name="PeakMegabytes">Peak resident memory during this stage (Linux: the peak is reset when the stage starts; elsewhere the process's peak so far).</param>
/// <param name="ManagedMegabytes">Managed heap in use when the stage ended (after the stage's own garbage is collectable, before a collection).</param>
public sealed record ScaleStage(string Stage, double Seconds, double CpuSeconds, double ReferencesPerSecond, double PeakMegabytes, double ManagedMegabytes);

/// <summary>What <see cref="CitationScaleBenchmark.Run"/> measured.</summary>
/// <param name="PeakBytesPerReference">Peak resident memory of the process from loading on (the generator's is excluded), per reference.</param>
public sealed record CitationScaleResult(int Papers, long References, long EdgeFileBytes, double GenerateSeconds, IReadOnlyList<ScaleStage> Stages,
    double TotalSeconds, double PeakMegabytes, double PeakBytesPerReference, bool PeakIsSinceLoad, int ProcessorCount, double? LoadAverage)
{
    /// <summary>The same-run comparison with igraph (<c>--igraph</c>), or null.</summary>
    public PeerComparison? Peer { get; init; }

    /// <summary>Wall time of the measuring process from start to exit (start-up included), when it ran as its own process.</summary>
    public double? ProcessSeconds { get; init; }

    /// <summary>The result as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, new JsonSerializerOptions { WriteIndented = true });
}

/// <summary>
/// The OpenAlex-scale benchmark: <see cref="ScaleGraphGenerator"/> writes a graph as Parquet (not timed), then — with the
/// peak memory reset where the OS allows it (Linux) — it is loaded, every feature but betweenness computed once and the
/// features written as a vertex Parquet file, each stage timed with its throughput in references per second and its
/// own peak resident memory.
/// </summary>
public static class CitationScaleBenchmark
{
    /// <summary>Runs the benchmark in this process; the Parquet files go to <paramref name="workDirectory"/> and are deleted afterwards.</summary>
    /// <param name="edgeListPath">When given, the loaded graph is also written there as a text edge list of indices
    /// (<see cref="EdgeListLoader.Write"/>), after everything is measured: the input of the same-run igraph comparison.</param>
    public static CitationScaleResult Run(ScaleGraphOptions options, string? workDirectory = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default, string? edgeListPath = null)
    {
        var (vertices, edges, seconds) = Generate(options, workDirectory, progress, cancellationToken);
        try
        {
            GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
            bool reset = ResetPeak();
            return Measure(edges, vertices, progress, cancellationToken, edgeListPath, reset) with { GenerateSeconds = seconds };
        }
        finally
        {
            File.Delete(vertices);
            File.Delete(edges);
        }
    }

    /// <summary>Writes the generated graph's two Parquet files into <paramref name="workDirectory"/> (the caller deletes them).</summary>
    public static (string Vertices, string Edges, double Seconds) Generate(ScaleGraphOptions options, string? workDirectory = null,
        IProgress<ProgressUpdate>? progress = null, CancellationToken cancellationToken = default)
    {
        var dir = workDirectory ?? Path.GetTempPath();
        var vertices = Path.Combine(dir, $"llmml-scale-{Environment.ProcessId}-vertices.parquet");
        var edges = Path.Combine(dir, $"llmml-scale-{Environment.ProcessId}-edges.parquet");
        var clock = Stopwatch.StartNew();
        ScaleGraphGenerator.Write(options, vertices, edges, progress, cancellationToken);
        return (vertices, edges, clock.Elapsed.TotalSeconds);
    }

    /// <summary>
    /// The measured part: load <paramref name="edges"/> (+ <paramref name="vertices"/>), every feature but betweenness, and
    /// the vertex file written beside the edges (deleted afterwards). Run in a fresh process (`llmml bench citations
    /// --scale` does) its peak memory is the whole process's; <paramref name="peakWasReset"/> says it was reset after
    /// something else ran in this process.
    /// </summary>
    public static CitationScaleResult Measure(string edges, string vertices, IProgress<ProgressUpdate>? progress = null,
        CancellationToken cancellationToken = default, string? edgeListPath = null, bool peakWasReset = false)
    {
        var output = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(edges))!, $"llmml-scale-{Environment.ProcessId}-features.parquet");
        bool reset = peakWasReset;
        try
        {
            var stages = new List<ScaleStage>();
            var total = Stopwatch.StartNew();
            var cpu = CpuSeconds();
            var clock = Stopwatch.StartNew();
            string? current = null;
            double overallPeak = 0;
            long references = 0;
            void Close(long handled)
            {
                if (current is null) return;
                double cpuNow = CpuSeconds(), seconds = clock.Elapsed.TotalSeconds;
                double stagePeak = BenchmarkTiming.PeakWorkingSetMb();
                overallPeak = Math.Max(overallPeak, stagePeak);
                stages.Add(new ScaleStage(current, seconds, cpuNow - cpu, handled / Math.Max(seconds, 1e-9), stagePeak, GC.GetTotalMemory(false) / 1048576.0));
                (cpu, current) = (cpuNow, null);
                if (reset) reset = ResetPeak();
                clock.Restart();
            }
            CitationGraph graph = null!;
            var stageProgress = new SynchronousProgress(update =>
            {
                if (update.Stage == current) return;
                if (update.Stage == "load edges" && update.Total is { } rows) references = rows;
                Close(graph?.EdgeCount ?? references);
                current = update.Stage;
                progress?.Report(update);
            });
            graph = CitationParquet.ReadGraph(edges, vertices, cancellationToken, stageProgress).Graph;
            var features = CitationFeatureComputer.Compute(graph, new CitationFeatureOptions { Features = CitationFeatureKinds.AllButBetweenness }, stageProgress, cancellationToken);
            Close(graph.EdgeCount);
            // Counts and shares are derived when read: writing the vertex file is where they are computed, so it is timed too.
            current = "write vertex Parquet (every feature)";
            progress?.Report(new ProgressUpdate(current, 0));
            CitationParquet.WriteVertices(features, output, cancellationToken);
            Close(graph.EdgeCount);
            total.Stop();
            double peak = Math.Max(overallPeak, BenchmarkTiming.PeakWorkingSetMb());
            if (edgeListPath is not null)
            {
                progress?.Report(new ProgressUpdate("write edge list for the peer", 0));
                EdgeListLoader.Write(graph, edgeListPath, indices: true);
            }
            return new CitationScaleResult(graph.NodeCount, graph.EdgeCount, new FileInfo(edges).Length, 0, stages,
                total.Elapsed.TotalSeconds, peak, peak * 1048576 / Math.Max(1, graph.EdgeCount), peakWasReset, Environment.ProcessorCount, BenchmarkTiming.LoadAverage());
        }
        finally
        {
            File.Delete(output);
        }
    }

    // Linux resets the peak resident set size (VmHWM) when "5" is written to /proc/self/clear_refs.
    private static bool ResetPeak()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return false;
        }
    }

    private static double CpuSeconds()
    {
        using var p = Process.GetCurrentProcess();
        return p.TotalProcessorTime.TotalSeconds;
    }
}
