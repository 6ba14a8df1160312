using LLMML.Cli.Rendering;
using System.CommandLine;
using LLMML.Citations.Benchmarks;
using LLMML.Citations.Synthetic;
using LLMML.Foundation.Persistence;
using LLMML.Foundation.Progress;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>
/// The citation benchmark on the synthetic 185K-paper graph: a table beside networkx's figures from METHODS.md (another
/// machine and run: context, not a same-run comparison), and JSON.
/// Mounted as `llmml bench citations`.
/// </summary>
internal static class CitationsBenchCommand
{
    public static Command Create()
    {
        var json = CommonOptions.JsonFile();
        var reps = new Option<int>("--repetitions") { Description = "Timed runs per step (median reported) after one warm-up.", DefaultValueFactory = _ => 3 };
        var nodes = new Option<int>("--nodes") { Description = "Papers in the synthetic graph.", DefaultValueFactory = _ => 185_384 };
        var scale = new Option<int?>("--scale")
        {
            Description = "Instead: the OpenAlex-scale benchmark on a generated graph of this many papers (~10 references each; 10000000 ≈ 100M references): load + all features but betweenness, per-stage throughput and peak memory per reference.",
        };
        var meanReferences = new Option<double>("--mean-references") { Description = "With --scale: mean references per paper.", DefaultValueFactory = _ => 10 };
        var igraph = new Option<bool>("--igraph")
        {
            Description = "Also compare, in this run and on the same text edge list, our whole process (`llmml citations features --features pagerank`, start-up included) with igraph's load + PageRank (bench/igraph_peer.py, /usr/bin/python3 with python3-igraph; skipped with a note when absent).",
        };
        // The measured part of --scale runs in a fresh process (so its peak memory is its own, not the generator's).
        var scaleEdges = new Option<FileInfo?>("--scale-edges") { Hidden = true };
        var scaleVertices = new Option<FileInfo?>("--scale-vertices") { Hidden = true };
        var scaleEdgeList = new Option<FileInfo?>("--scale-edge-list") { Hidden = true };
        var peerRuns = new Option<int>("--peer-runs") { Description = "With --igraph: runs of each process, alternating (medians reported).", DefaultValueFactory = _ => 3 };
        var command = new Command("citations", "Benchmark citation features on the synthetic ACL-like graph (185K papers, ~790K citations) against the issue's targets (networkx figures from METHODS.md shown as context); --scale for OpenAlex-sized graphs.")
        {
            json, reps, nodes, scale, meanReferences, igraph, peerRuns, scaleEdges, scaleVertices, scaleEdgeList,
        };
        command.SetAction((parse, ct) =>
        {
            CommonOptions.CheckOutputFile(parse.GetValue(json)?.FullName);
            if (parse.GetValue(scaleEdges) is { } measureEdges)
            {
                if (parse.GetValue(json) is null || parse.GetValue(scaleVertices) is null)
                    throw new ArgumentException("--scale-edges needs --scale-vertices and --json (it is the measuring process of --scale).");
                var measured = CitationScaleBenchmark.Measure(measureEdges.FullName, parse.GetValue(scaleVertices)!.FullName, ConsoleProgress.Stages(), ct,
                    parse.GetValue(scaleEdgeList)?.FullName);
                AtomicFile.WriteAllBytes(parse.GetValue(json)!.FullName, System.Text.Encoding.UTF8.GetBytes(measured.ToJson()));
                return Task.FromResult(0);
            }
            if (parse.GetValue(scale) is { } papers)
            {
                RunScale(new ScaleGraphOptions { Papers = papers, MeanReferences = parse.GetValue(meanReferences) }, parse.GetValue(json),
                    parse.GetValue(igraph) ? Math.Max(1, parse.GetValue(peerRuns)) : 0, ct);
                return Task.FromResult(0);
            }
            int n = parse.GetValue(nodes);
            var graph = new AclLikeGraphOptions { Nodes = n, Seeds = (int)Math.Round(n * 9255.0 / 185_384), Edges = (int)Math.Round(n * 786_376.0 / 185_384) };
            var result = CitationBenchmark.Run(graph, Math.Max(1, parse.GetValue(reps)), null, ConsoleProgress.Stages(), ct);
            PeerComparison? peer = null;
            if (parse.GetValue(igraph))
            {
                var edgeList = Path.Combine(Path.GetTempPath(), $"llmml-citations-peer-{Environment.ProcessId}.txt");
                try
                {
                    var synthetic = AclLikeGraphGenerator.Generate(graph).Graph;
                    LLMML.Citations.Loading.EdgeListLoader.Write(synthetic, edgeList, indices: true);
                    peer = CitationsPeerRunner.Compare(edgeList, synthetic.EdgeCount, Math.Max(1, parse.GetValue(peerRuns)), Note(), ct);
                }
                finally
                {
                    File.Delete(edgeList);
                }
                result = result with { Peer = peer };
            }
            var table = new Table().AddColumns("step", "LLMML wall (s)", "LLMML CPU (s)", "target (s)", "networkx 3.6 (s), another run: METHODS.md §5");
            foreach (var s in result.Steps)
            {
                string verdict = s.TargetSeconds is { } t ? (s.MedianSeconds <= t ? " [green]✓[/]" : " [red]✗[/]") : "";
                table.AddRow(Markup.Escape(s.Step), s.MedianSeconds.ToString("0.000") + verdict, s.MedianCpuSeconds.ToString("0.000"),
                    s.TargetSeconds?.ToString("0.0") ?? "", s.NetworkxSeconds?.ToString("0.0") ?? "");
            }
            string mem = result.PeakWorkingSetMegabytes <= result.TargetPeakMegabytes ? "[green]✓[/]" : "[red]✗[/]";
            table.AddRow("peak working set (MB)", $"{result.PeakWorkingSetMegabytes:0} {mem}", "", $"{result.TargetPeakMegabytes:0}", "");
            table.Caption($"{result.Nodes:N0} papers, {result.Edges:N0} citations, {result.InputBytes / 1e6:0.0} MB JSONL, {result.ProcessorCount} cores, median of {result.Repetitions}, load average {LLMML.Foundation.Benchmarks.BenchmarkTiming.Format(result.LoadAverage)}");
            AnsiConsole.Write(table);
            if (peer is not null) WritePeer(peer, 0.5);
            if (parse.GetValue(json) is { } path)
            {
                AtomicFile.WriteAllBytes(path.FullName, System.Text.Encoding.UTF8.GetBytes(result.ToJson()));
                AnsiConsole.MarkupLineInterpolated($"JSON written to [green]{path.FullName}[/]");
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static void RunScale(ScaleGraphOptions options, FileInfo? json, int peerRuns, CancellationToken ct)
    {
        var jsonPath = json is null ? null : OutputPath.CheckFile(json.FullName);
        var edgeList = peerRuns > 0 ? Path.Combine(Path.GetTempPath(), $"llmml-scale-peer-{Environment.ProcessId}.txt") : null;
        CitationScaleResult r;
        var (vertices, edges, generateSeconds) = CitationScaleBenchmark.Generate(options, null, ConsoleProgress.Stages(), ct);
        var childJson = Path.Combine(Path.GetTempPath(), $"llmml-scale-{Environment.ProcessId}-measured.json");
        try
        {
            // Load + features in a fresh process: its peak memory is the whole process's (runtime included), not the generator's.
            List<string> args = ["bench", "citations", "--scale-edges", edges, "--scale-vertices", vertices, "--json", childJson];
            if (edgeList is not null) args.AddRange(["--scale-edge-list", edgeList]);
            var (_, processSeconds) = CitationsPeerRunner.RunSelf(args, captureOutput: false, ct);
            var measured = System.Text.Json.JsonSerializer.Deserialize<CitationScaleResult>(File.ReadAllText(childJson))
                ?? throw new InvalidDataException($"{childJson}: the measuring process wrote no result.");
            r = measured with { GenerateSeconds = generateSeconds, ProcessSeconds = processSeconds };
            if (edgeList is not null) r = r with { Peer = CitationsPeerRunner.Compare(edgeList, r.References, peerRuns, Note(), ct) };
        }
        finally
        {
            foreach (var f in new[] { edgeList, vertices, edges, childJson }) if (f is not null) File.Delete(f);
        }
        var table = new Table().AddColumns("stage", "wall (s)", "CPU (s)", "references/s", "peak RSS in stage (MB)", "managed heap at end (MB)");
        foreach (var s in r.Stages)
            table.AddRow(Markup.Escape(s.Stage), s.Seconds.ToString("0.000"), s.CpuSeconds.ToString("0.000"), s.ReferencesPerSecond.ToString("N0"),
                s.PeakMegabytes.ToString("N0"), s.ManagedMegabytes.ToString("N0"));
        table.AddRow("[bold]load + all features but betweenness[/]", r.TotalSeconds.ToString("0.00"), r.Stages.Sum(s => s.CpuSeconds).ToString("0.00"),
            (r.References / r.TotalSeconds).ToString("N0"));
        string since = r.PeakIsSinceLoad ? "since load" : "whole measuring process";
        if (r.ProcessSeconds is { } whole) table.AddRow("measuring process, start to exit", whole.ToString("0.00"), "", "");
        table.AddRow($"peak memory ({since})", $"{r.PeakMegabytes:N0} MB", "", $"{r.PeakBytesPerReference:0.0} bytes/reference");
        table.Caption($"{r.Papers:N0} papers, {r.References:N0} references, edge file {r.EdgeFileBytes / 1e6:0.0} MB (generated in {r.GenerateSeconds:0.0} s, not counted), {r.ProcessorCount} cores, load average {LLMML.Foundation.Benchmarks.BenchmarkTiming.Format(r.LoadAverage)}");
        AnsiConsole.Write(table);
        if (r.Peer is not null) WritePeer(r.Peer, 0.2);
        if (jsonPath is not null)
        {
            AtomicFile.WriteAllBytes(jsonPath, System.Text.Encoding.UTF8.GetBytes(r.ToJson()));
            AnsiConsole.MarkupLineInterpolated($"JSON written to [green]{jsonPath}[/]");
        }
    }

    private static IProgress<string> Note() => new LineProgress();

    private sealed class LineProgress : IProgress<string>
    {
        public void Report(string value) => AnsiConsole.MarkupLineInterpolated($"[grey]{value}[/]");
    }

    private static void WritePeer(PeerComparison peer, double target)
    {
        if (peer.Igraph.Count == 0)
        {
            AnsiConsole.MarkupLineInterpolated($"[yellow]{peer.Note ?? "igraph did not run"}[/]");
            return;
        }
        static string Med(IEnumerable<double> v) => PeerComparison.Median(v).ToString("0.000");
        var t = new Table().AddColumns("same run, same edge list", "median (s)", "runs (s)", "peak memory (MB)");
        t.AddRow("LLMML whole process (start, load, PageRank, write Parquet)", Med(peer.Ours.Select(o => o.ProcessSeconds)),
            string.Join(" ", peer.Ours.Select(o => o.ProcessSeconds.ToString("0.00"))), Med(peer.Ours.Select(o => o.PeakMegabytes)));
        t.AddRow($"igraph {Markup.Escape(peer.Igraph[0].Version)} load + PageRank", Med(peer.Igraph.Select(i => i.LoadAndPageRankSeconds)),
            string.Join(" ", peer.Igraph.Select(i => i.LoadAndPageRankSeconds.ToString("0.00"))), Med(peer.Igraph.Select(i => i.PeakMegabytes)));
        t.AddRow("  igraph load", Med(peer.Igraph.Select(i => i.LoadSeconds)), "", "");
        t.AddRow("  igraph PageRank (PRPACK)", Med(peer.Igraph.Select(i => i.PageRankSeconds)), "", "");
        t.AddRow("igraph whole process (python start, import, load, PageRank)", Med(peer.Igraph.Select(i => i.ProcessSeconds)),
            string.Join(" ", peer.Igraph.Select(i => i.ProcessSeconds.ToString("0.00"))), "");
        string verdict = peer.Ratio <= target ? "[green]✓[/]" : "[red]✗[/]";
        t.Caption($"ratio ours / igraph load+PageRank {peer.Ratio:0.00} {verdict} (target ≤ {target}); ours / igraph whole process {peer.WholeProcessRatio:0.00}; {peer.References:N0} references; load average {LLMML.Foundation.Benchmarks.BenchmarkTiming.Format(LLMML.Foundation.Benchmarks.BenchmarkTiming.LoadAverage())}");
        AnsiConsole.Write(t);
    }
}
