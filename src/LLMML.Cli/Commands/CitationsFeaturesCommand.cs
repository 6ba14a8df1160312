using MathNet.Numerics.Statistics;
using LLMML.Cli.Rendering;
using System.CommandLine;
using System.Text.Json;
using LLMML.Citations.Analysis;
using LLMML.Citations.Features;
using Spectre.Console;

namespace LLMML.Cli.Commands;

/// <summary>`llmml citations features`: per-paper citation features to CSV, with a summary table or JSON.</summary>
internal static class CitationsFeaturesCommand
{
    public static Command Create()
    {
        var input = CitationsCliOptions.Input();
        var format = CitationsCliOptions.Format();
        var field = CitationsCliOptions.FieldColumn();
        var kinds = CitationsCliOptions.Features();
        var samples = CitationsCliOptions.BetweennessSamples();
        var seed = CitationsCliOptions.Seed();
        var targets = CitationsCliOptions.TargetFields();
        var outPath = new Option<FileInfo?>("--out", "-o") { Description = "Write the per-paper features as CSV here." };
        var json = CommonOptions.Json();
        var command = new Command("features", "Compute per-paper citation features (counts, PageRank, HITS, k-core, betweenness, clustering, field and intent shares).")
        {
            input, format, field, kinds, samples, seed, targets, outPath, json,
        };
        command.SetAction((parse, ct) =>
        {
            var csv = parse.GetValue(outPath) is { } o ? CitationsCliOptions.CheckOutput(o.FullName, parse.GetValue(input)!.FullName) : null;
            var progress = ConsoleProgress.Stages();
            var load = CitationsCliOptions.Load(parse.GetValue(input)!, parse.GetValue(format)!, parse.GetValue(field), progress, ct);
            var g = load.Graph;
            var options = new CitationFeatureOptions
            {
                Features = CitationsCliOptions.ParseKinds(parse.GetValue(kinds)),
                Betweenness = new BetweennessOptions { Samples = parse.GetValue(samples), Seed = parse.GetValue(seed) },
                TargetFields = parse.GetValue(targets) is { Length: > 0 } t ? t : null,
            };
            var features = CitationFeatureComputer.Compute(g, options, progress, ct);
            if (csv is not null) features.WriteCsv(csv);
            var summary = features.Names.Select(name =>
            {
                var v = features.Column(name).Where(x => !double.IsNaN(x)).Order().ToArray();
                return new FeatureSummary(name, v.Length, v.Length == 0 ? double.NaN : v[0], SortedArrayStatistics.QuantileCustom(v, 0.5, QuantileDefinition.R7),
                    v.Length == 0 ? double.NaN : v.Average(), v.Length == 0 ? double.NaN : v[^1]);
            }).ToArray();
            if (parse.GetValue(json))
            {
                var d = load.Diagnostics;
                var report = new
                {
                    papers = g.NodeCount,
                    citations = g.EdgeCount,
                    edgeDirection = "citing -> cited",
                    fields = g.FieldNames,
                    diagnostics = new { d.Records, d.MalformedCount, malformed = d.Malformed, d.DuplicateRecords, d.DuplicateEdges, d.SelfCitations, d.UnresolvedLinks },
                    features = summary,
                    csv = parse.GetValue(outPath)?.FullName,
                };
                Console.WriteLine(JsonSerializer.Serialize(report, new JsonSerializerOptions
                {
                    WriteIndented = true,
                    PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
                    Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
                    NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals,
                }));
                return Task.FromResult(0);
            }
            CitationsCliOptions.PrintDiagnostics(load.Diagnostics, g.NodeCount, g.EdgeCount);
            var table = new Table().AddColumns("feature", "defined", "min", "median", "mean", "max");
            foreach (var s in summary)
                table.AddRow(s.Name, s.Defined.ToString("N0"), s.Min.ToString("G4"), s.Median.ToString("G4"), s.Mean.ToString("G4"), s.Max.ToString("G4"));
            AnsiConsole.Write(table);
            if (parse.GetValue(outPath) is { } written) AnsiConsole.MarkupLineInterpolated($"features written to [green]{written.FullName}[/]");
            return Task.FromResult(0);
        });
        return command;
    }

    private sealed record FeatureSummary(string Name, int Defined, double Min, double Median, double Mean, double Max);
}
