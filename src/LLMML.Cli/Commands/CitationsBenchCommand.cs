using LLMML.Cli.Rendering;
using System.CommandLine;
using LLMML.Citations.Benchmarks;
using LLMML.Citations.Synthetic;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>
/// The citation benchmark on the synthetic 185K-paper graph: a table beside networkx's figures, and JSON.
/// Mounted as `llmml bench citations`.
/// </summary>
internal static class CitationsBenchCommand
{
    public static Command Create()
    {
        var json = new Option<FileInfo?>("--json") { Description = "Also write the results as JSON to this file." };
        var reps = new Option<int>("--repetitions") { Description = "Timed runs per step (median reported) after one warm-up.", DefaultValueFactory = _ => 3 };
        var nodes = new Option<int>("--nodes") { Description = "Papers in the synthetic graph.", DefaultValueFactory = _ => 185_384 };
        var command = new Command("citations", "Benchmark citation features on the synthetic ACL-like graph (185K papers, ~790K citations) against the issue's targets and networkx.")
        {
            json, reps, nodes,
        };
        command.SetAction((parse, ct) =>
        {
            CommonOptions.CheckOutputFile(parse.GetValue(json)?.FullName);
            int n = parse.GetValue(nodes);
            var graph = new AclLikeGraphOptions { Nodes = n, Seeds = (int)Math.Round(n * 9255.0 / 185_384), Edges = (int)Math.Round(n * 786_376.0 / 185_384) };
            var result = CitationBenchmark.Run(graph, Math.Max(1, parse.GetValue(reps)), null, ConsoleProgress.Stages(), ct);
            var table = new Table().AddColumns("step", "LLMML wall (s)", "LLMML CPU (s)", "target (s)", "networkx 3.6 (s)");
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
                File.WriteAllText(path.FullName, result.ToJson());
                AnsiConsole.MarkupLineInterpolated($"JSON written to [green]{path.FullName}[/]");
            }
            return Task.FromResult(0);
        });
        return command;
    }
}
