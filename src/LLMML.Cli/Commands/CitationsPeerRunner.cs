using System.Diagnostics;
using System.Reflection;
using System.Text.Json;
using LLMML.Citations.Benchmarks;

namespace LLMML.Cli.Commands;

/// <summary>
/// The same-run comparison of `llmml bench citations --igraph`: our own process (`llmml citations features --features
/// pagerank` on the edge list, writing the vertex Parquet) and igraph's (bench/igraph_peer.py), alternately, each timed
/// from start to exit.
/// </summary>
internal static class CitationsPeerRunner
{
    public static PeerComparison Compare(string edgeList, long references, int runs, IProgress<string>? progress, CancellationToken ct)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "bench", "igraph_peer.py");
        var ours = new List<OwnRun>();
        var igraph = new List<IgraphRun>();
        string? note = null;
        var output = Path.Combine(Path.GetTempPath(), $"llmml-peer-{Environment.ProcessId}.parquet");
        try
        {
            for (int r = 0; r < runs; r++)
            {
                progress?.Report($"ours, run {r + 1}/{runs}");
                ours.Add(RunOurs(edgeList, output, ct));
                if (note is not null) continue;
                progress?.Report($"igraph, run {r + 1}/{runs}");
                var (run, skipped) = IgraphPeer.Run(script, edgeList, IgraphPeer.DefaultPython, ct);
                if (run is null) note = skipped;
                else igraph.Add(run);
            }
        }
        finally
        {
            File.Delete(output);
        }
        return new PeerComparison(edgeList, references, ours, igraph, note);
    }

    private static OwnRun RunOurs(string edgeList, string output, CancellationToken ct)
    {
        var (stdout, seconds) = RunSelf(["citations", "features", "-i", edgeList, "-f", "edgelist", "--features", "pagerank", "-o", output, "--json"], captureOutput: true, ct);
        using var doc = JsonDocument.Parse(stdout);
        var p = doc.RootElement.GetProperty("process");
        return new OwnRun(seconds, p.GetProperty("cpuSeconds").GetDouble(), p.GetProperty("peakWorkingSetMegabytes").GetDouble());
    }

    /// <summary>
    /// Runs this tool again as a fresh process (the apphost directly, or `dotnet llmml.dll` when run that way) and waits;
    /// returns its standard output (when captured; else it goes to the console) and its wall time.
    /// </summary>
    public static (string Stdout, double Seconds) RunSelf(IReadOnlyList<string> args, bool captureOutput, CancellationToken ct)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("The path of this process is unknown.");
        var start = new ProcessStartInfo(host) { RedirectStandardOutput = captureOutput, RedirectStandardError = true, UseShellExecute = false };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet") start.ArgumentList.Add(Assembly.GetEntryAssembly()!.Location);
        foreach (var a in args) start.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {host}.");
        using var registration = ct.Register(() => { try { process.Kill(); } catch (InvalidOperationException) { } });
        var stderr = process.StandardError.ReadToEndAsync(ct);
        var stdout = captureOutput ? process.StandardOutput.ReadToEnd() : "";
        process.WaitForExit();
        double seconds = clock.Elapsed.TotalSeconds;
        ct.ThrowIfCancellationRequested();
        if (process.ExitCode != 0) throw new InvalidOperationException($"`llmml {string.Join(' ', args)}` exited with {process.ExitCode}: {stderr.Result.Trim()}");
        return (stdout, seconds);
    }
}
