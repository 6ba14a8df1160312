using System.Diagnostics;
using System.Text.Json;

namespace LLMML.Citations.Benchmarks;

/// <summary>One run of igraph's load + PageRank (bench/igraph_peer.py) as its own process.</summary>
/// <param name="LoadSeconds">igraph's <c>Read_Edgelist</c>.</param>
/// <param name="PageRankSeconds">igraph's <c>pagerank</c> (PRPACK, exact).</param>
/// <param name="ImportSeconds">Interpreter start to <c>import igraph</c> done, as the script measured it (from its first line).</param>
/// <param name="ProcessSeconds">The whole process, start to exit, measured by the caller.</param>
/// <param name="PeakMegabytes">The script's peak resident memory.</param>
public sealed record IgraphRun(string Version, int Vertices, long Edges, double ImportSeconds, double LoadSeconds, double PageRankSeconds,
    double ProcessSeconds, double PeakMegabytes, double TopPageRank)
{
    /// <summary>igraph's load + PageRank: the peer's figure the ratios divide by.</summary>
    public double LoadAndPageRankSeconds => LoadSeconds + PageRankSeconds;
}

/// <summary>One run of our own process on the same input (start-up, load, PageRank, write).</summary>
public sealed record OwnRun(double ProcessSeconds, double CpuSeconds, double PeakMegabytes);

/// <summary>
/// Ours against igraph on the same edge list in the same run, alternating process by process. The ratios are medians:
/// our whole process (start-up counts) over igraph's load + PageRank, and over igraph's whole process.
/// </summary>
public sealed record PeerComparison(string Input, long References, IReadOnlyList<OwnRun> Ours, IReadOnlyList<IgraphRun> Igraph, string? Note)
{
    /// <summary>Median of our whole process over the median of igraph's load + PageRank (null when igraph did not run).</summary>
    public double? Ratio => Igraph.Count == 0 || Ours.Count == 0 ? null
        : Median(Ours.Select(o => o.ProcessSeconds)) / Median(Igraph.Select(i => i.LoadAndPageRankSeconds));

    /// <summary>Median of our whole process over the median of igraph's whole process.</summary>
    public double? WholeProcessRatio => Igraph.Count == 0 || Ours.Count == 0 ? null
        : Median(Ours.Select(o => o.ProcessSeconds)) / Median(Igraph.Select(i => i.ProcessSeconds));

    /// <summary>The median of some timings.</summary>
    public static double Median(IEnumerable<double> values) => Foundation.Benchmarks.BenchmarkTiming.Median([.. values]);
}

/// <summary>Runs bench/igraph_peer.py and reads what it prints.</summary>
public static class IgraphPeer
{
    /// <summary>The Debian interpreter that has python3-igraph (not a pyenv one).</summary>
    public const string DefaultPython = "/usr/bin/python3";

    /// <summary>
    /// Runs the script on <paramref name="edgeList"/>; returns the run, or a note saying why there is none (no python,
    /// igraph not installed: the script exits with 3).
    /// </summary>
    /// <exception cref="InvalidDataException">The script failed otherwise or printed something else than its JSON.</exception>
    public static (IgraphRun? Run, string? Note) Run(string script, string edgeList, string python = DefaultPython, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(python)) return (null, $"igraph skipped: {python} not found (apt-get install python3-igraph)");
        if (!File.Exists(script)) return (null, $"igraph skipped: the peer script {script} is missing");
        var start = new ProcessStartInfo(python) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        start.ArgumentList.Add(edgeList);
        var clock = Stopwatch.StartNew();
        using var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {python}.");
        using var registration = cancellationToken.Register(() => { try { process.Kill(); } catch (InvalidOperationException) { } });
        var stderr = process.StandardError.ReadToEndAsync(cancellationToken);
        var stdout = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        double seconds = clock.Elapsed.TotalSeconds;
        cancellationToken.ThrowIfCancellationRequested();
        if (process.ExitCode == 3) return (null, "igraph skipped: " + (TryError(stdout) ?? "python3-igraph is not installed") + " (apt-get install python3-igraph)");
        if (process.ExitCode != 0)
            throw new InvalidDataException($"{script} exited with {process.ExitCode}: {TryError(stdout) ?? stderr.Result.Trim()}");
        return (Parse(stdout, seconds), null);
    }

    /// <summary>Reads the script's JSON line; <paramref name="processSeconds"/> is the caller's clock of the whole process.</summary>
    /// <exception cref="InvalidDataException">Not the script's JSON: the message quotes what was missing.</exception>
    public static IgraphRun Parse(string stdout, double processSeconds)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(stdout.Trim()); }
        catch (JsonException e) { throw new InvalidDataException($"igraph peer printed no JSON object: '{Clip(stdout)}' ({e.Message})", e); }
        using (doc)
        {
            var root = doc.RootElement;
            if (root.ValueKind != JsonValueKind.Object) throw new InvalidDataException($"igraph peer printed '{Clip(stdout)}', not a JSON object.");
            if (root.TryGetProperty("error", out var error)) throw new InvalidDataException($"igraph peer failed: {error}");
            double Number(string name) => root.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble()
                : throw new InvalidDataException($"igraph peer output lacks the number '{name}': '{Clip(stdout)}'.");
            string version = root.TryGetProperty("igraph_version", out var ver) ? ver.GetString() ?? "?" : "?";
            return new IgraphRun(version, (int)Number("vertices"), (long)Number("edges"), Number("import_seconds"), Number("load_seconds"),
                Number("pagerank_seconds"), processSeconds, Number("peak_megabytes"), Number("top_pagerank"));
        }
    }

    private static string? TryError(string stdout)
    {
        try
        {
            using var doc = JsonDocument.Parse(stdout.Trim());
            return doc.RootElement.TryGetProperty("error", out var e) ? e.GetString() : null;
        }
        catch (JsonException) { return null; }
    }

    private static string Clip(string s) => s.Length <= 200 ? s.Trim() : s[..200] + "…";
}
