using LLMML.Cli.Rendering;
using System.CommandLine;
using LLMML.Citations.Benchmarks;
using LLMML.Citations.Synthetic;
using LLMML.Foundation.Persistence;
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
        var command = new Command("citations", "Benchmark citation features on the synthetic ACL-like graph (185K papers, ~790K citations) against the issue's targets (networkx figures from METHODS.md shown as context); --scale for OpenAlex-sized graphs.")
        {
            json, reps, nodes, scale, meanReferences,
        };
        command.SetAction((parse, ct) =>
        {
            CommonOptions.CheckOutputFile(parse.GetValue(json)?.FullName);
            if (parse.GetValue(scale) is { } papers)
            {
                RunScale(new ScaleGraphOptions { Papers = papers, MeanReferences = parse.GetValue(meanReferences) }, parse.GetValue(json), ct);
                return Task.FromResult(0);
            }
            int n = parse.GetValue(nodes);
            var graph = new AclLikeGraphOptions { Nodes = n, Seeds = (int)Math.Round(n * 9255.0 / 185_384), Edges = (int)Math.Round(n * 786_376.0 / 185_384) };
            var result = CitationBenchmark.Run(graph, Math.Max(1, parse.GetValue(reps)), null, ConsoleProgress.Stages(), ct);
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
            if (parse.GetValue(json) is { } path)
            {
                AtomicFile.WriteAllBytes(path.FullName, System.Text.Encoding.UTF8.GetBytes(result.ToJson()));
                AnsiConsole.MarkupLineInterpolated($"JSON written to [green]{path.FullName}[/]");
            }
            return Task.FromResult(0);
        });
        return command;
    }

    private static void RunScale(ScaleGraphOptions options, FileInfo? json, CancellationToken ct)
    {
        var jsonPath = json is null ? null : OutputPath.CheckFile(json.FullName);
        var r = CitationScaleBenchmark.Run(options, null, ConsoleProgress.Stages(), ct);
        var table = new Table().AddColumns("stage", "wall (s)", "CPU (s)", "references/s", "peak RSS in stage (MB)", "managed heap at end (MB)");
        foreach (var s in r.Stages)
            table.AddRow(Markup.Escape(s.Stage), s.Seconds.ToString("0.000"), s.CpuSeconds.ToString("0.000"), s.ReferencesPerSecond.ToString("N0"),
                s.PeakMegabytes.ToString("N0"), s.ManagedMegabytes.ToString("N0"));
        table.AddRow("[bold]load + all features but betweenness[/]", r.TotalSeconds.ToString("0.00"), r.Stages.Sum(s => s.CpuSeconds).ToString("0.00"),
            (r.References / r.TotalSeconds).ToString("N0"));
        string since = r.PeakIsSinceLoad ? "since load" : "whole process";
        table.AddRow($"peak memory ({since})", $"{r.PeakMegabytes:N0} MB", "", $"{r.PeakBytesPerReference:0.0} bytes/reference");
        table.Caption($"{r.Papers:N0} papers, {r.References:N0} references, edge file {r.EdgeFileBytes / 1e6:0.0} MB (generated in {r.GenerateSeconds:0.0} s, not counted), {r.ProcessorCount} cores, load average {LLMML.Foundation.Benchmarks.BenchmarkTiming.Format(r.LoadAverage)}");
        AnsiConsole.Write(table);
        if (jsonPath is not null)
        {
            AtomicFile.WriteAllBytes(jsonPath, System.Text.Encoding.UTF8.GetBytes(r.ToJson()));
            AnsiConsole.MarkupLineInterpolated($"JSON written to [green]{jsonPath}[/]");
        }
    }
}
